using System.Globalization;
using System.Text;

namespace Osprey.Kernel.Mem;

/// <summary>
/// What <c>--allocstats</c> prints at halt: the frame allocator's counters (the front door's and
/// its policy's own), then the slab caches as Linux's /proc/slabinfo lists them (version 2.1;
/// every slab is one frame; the tunables are the per-CPU magazines' limit and batch count, and
/// objects free in magazines are not active), then each cache's allocations, frees, frames and
/// objects waiting in magazines.
/// </summary>
public static class AllocReport
{
    public static string Describe(FrameAllocator frames, SlabAllocator slabs)
    {
        var text = new StringBuilder();
        IFramePolicy policy = frames.Policy;
        text.Append(CultureInfo.InvariantCulture,
            $"allocator {policy.Name}: {frames.TotalFrames} frames, {frames.FreeFrames} free; {frames.Allocations} allocations, {frames.Frees} frees, {frames.Failures} failed\n");
        foreach ((string name, long value) in policy.Counters())
            text.Append(CultureInfo.InvariantCulture, $"  {name}: {value}\n");

        IReadOnlyList<SlabCache> caches = slabs.Caches();
        text.Append("slabinfo - version: 2.1\n");
        text.Append("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
        foreach (SlabCache c in caches)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{c.Name,-17} {c.InUse,6} {c.Slabs * c.ObjectsPerSlab,6} {c.Stride,6} {c.ObjectsPerSlab,4} {1,4} : tunables {c.MagazineCapacity,4} {c.Batch,4} {0,4} : slabdata {c.Slabs,6} {c.Slabs,6} {0,6}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"{"# cache",-17} {"allocations",12} {"frees",12} {"frames",8} {"cached",8}\n");
        foreach (SlabCache c in caches)
            text.Append(CultureInfo.InvariantCulture, $"{c.Name,-17} {c.Allocations,12} {c.Frees,12} {c.Frames,8} {c.Cached,8}\n");
        return text.ToString();
    }
}
