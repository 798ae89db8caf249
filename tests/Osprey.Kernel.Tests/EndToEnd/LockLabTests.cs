using Osprey;
using System.Text.RegularExpressions;
using Osprey.Kernel.Fs;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Tests.Support;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The memory and lock lab end to end: stressmem, the MIT lab's kalloctest and bcachetest, the
/// lockstat program, the statistics device, Ctrl-L on the console, and init's repair of device
/// nodes made before the statistics device took major 2.
/// </summary>
public class LockLabTests
{
    private static RunResult Run(string allocator, int cpus, string program, params string[] args) =>
        KernelRun.Program(new KernelOptions { Cpus = cpus, Allocator = allocator }, null, program, args);

    private static void AssertClean(RunResult r)
    {
        Assert.DoesNotContain("panic", r.Diagnostics);
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Theory]
    [InlineData("freelist", 3, false)]
    [InlineData("percpu", 3, false)]
    [InlineData("percpu", 3, true)]
    [InlineData("segtree", 1, true)]
    [InlineData("bitmap", 3, false)]
    public void StressmemLosesNoPage(string allocator, int cpus, bool oom)
    {
        RunResult r = oom ? Run(allocator, cpus, "stressmem", "--oom", "1") : Run(allocator, cpus, "stressmem", "1");
        Assert.True(r.Status == 0, r.ToString());
        Match start = Regex.Match(r.Output, @"^\[stressmem\] start: #free pages (\d+)$", RegexOptions.Multiline);
        Match end = Regex.Match(r.Output, @"^\[stressmem\] end: #free pages (\d+)$", RegexOptions.Multiline);
        Assert.True(start.Success && end.Success, r.Output);
        Assert.Equal(start.Groups[1].Value, end.Groups[1].Value);
        Assert.DoesNotContain("Lost pages", r.Output);
        AssertClean(r);
    }

    [Fact]
    public void KalloctestPassesWithPerCpuLists()
    {
        RunResult r = Run("percpu", 3, "kalloctest");
        Assert.True(r.Status == 0, r.ToString());
        foreach (string ok in new[] { "test1 OK", "test2 OK", "test3 OK" })
            Assert.Contains(ok, r.Output);
        Assert.Matches(@"(?m)^lock: kmem\.cpu\d: #test-and-set \d+ #acquire\(\) \d+$", r.Output);
        Assert.Matches(@"(?m)^total free number of pages: \d+ \(out of 16383\)$", r.Output); // 64 MiB, less the zero frame
        AssertClean(r);
    }

    [Fact]
    public void KalloctestTest1FailsWithOneKmemLock()
    {
        // The lab's point: two CPUs allocating at once contend on the single kmem lock.
        RunResult r = Run("freelist", 3, "kalloctest", "test1");
        Assert.Equal(1, r.Status);
        Assert.Contains("test1 FAIL", r.Output);
        Match kmem = Regex.Match(r.Output, @"(?m)^lock: kmem: #test-and-set (\d+) #acquire\(\) (\d+)$");
        Assert.True(kmem.Success, r.Output);
        Assert.True(long.Parse(kmem.Groups[1].Value) >= 10);
        Assert.True(long.Parse(kmem.Groups[2].Value) >= 400_000, "two children's 100,000 sbrk(+) and sbrk(-) each");
        AssertClean(r);
    }

    [Fact]
    public void BcachetestPassesWithPerBucketLocks()
    {
        RunResult r = Run("freelist", 3, "bcachetest");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("test0: OK", r.Output);
        Assert.Contains("test1 OK", r.Output);
        Assert.Matches(@"(?m)^lock: bcache\.bucket: #test-and-set \d+ #acquire\(\) \d+$", r.Output);
        AssertClean(r);
    }

    [Fact]
    public void LockstatPrintsTheTableByClassWithInstances()
    {
        RunResult r = Run("percpu", 3, "lockstat", "-v");
        Assert.True(r.Status == 0, r.ToString());
        string[] lines = r.Output.Split('\n');
        Assert.Equal("lock_stat version 0.4", lines[0]);
        Assert.Matches(@"^\s+class name\s+contentions\s+waittime-min\s+waittime-max\s+waittime-total\s+waittime-avg\s+acquisitions\s+holdtime-min\s+holdtime-max\s+holdtime-total\s+holdtime-avg$", lines[2]);
        Assert.True(lines.Any(l => Regex.IsMatch(l, @"^\s+kmem\.cpu:(\s+\d+\.\d\d|\s+\d+){10}$")), r.Output);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+kmem\.cpu\d:"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+bcache\.bucket#\d+:"));
        Assert.Equal(2, Run("freelist", 1, "lockstat", "-x").Status);
    }

    [Fact]
    public void TheStatisticsDeviceReadsTheLabsTextAndAWriteResetsIt()
    {
        RunResult r = KernelRun.Boot(3, "stressmem 1\ncat statistics\necho reset > statistics\ncat statistics\n");
        Assert.True(r.Status == 0, r.ToString());
        MatchCollection kmem = Regex.Matches(r.Output, @"(?m)^lock: kmem: #test-and-set \d+ #acquire\(\) (\d+)$");
        Assert.True(kmem.Count >= 2, r.Output); // each report lists kmem under kmem/bcache (and in its top 5 only when it was contended)
        long before = long.Parse(kmem[0].Groups[1].Value);
        long after = long.Parse(kmem[^1].Groups[1].Value);
        Assert.True(before >= 60_000, $"stressmem took {before} frames");
        Assert.True(after < 5_000, $"{after} acquisitions right after a reset");
        Assert.Equal(2, Regex.Matches(r.Output, @"(?m)^--- lock kmem/bcache stats$").Count);
        Assert.Equal(2, Regex.Matches(r.Output, @"(?m)^--- top 5 contended locks:$").Count);
        Assert.Equal(2, Regex.Matches(r.Output, @"(?m)^tot= \d+$").Count);
        Assert.DoesNotContain("panic", r.Diagnostics);
    }

    [Fact]
    public void CtrlLThroughOspreyBootPrintsThePerfLines()
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["boot", "--cpus", "2", "--allocator", "percpu"], "\x0c\necho done\n");
        Assert.True(status == 0, stderr);
        Assert.Matches(@"(?m)^\[perf\] lock=sched, #acquires=\d+, contention=\d+$", stdout);
        Assert.Matches(@"(?m)^\[perf\] totals for shown locks, #acquires=\d+, contention=\d+$", stdout);
        Assert.Contains("done\n", stdout);
    }

    [Fact]
    public void InitRemakesANullNodeMadeWhenNullWasMajorTwo()
    {
        string build = Path.GetDirectoryName(DefaultImage.Path)!;
        var builder = new ImageBuilder();
        foreach (string program in new[] { "init", "sh", "cat" })
            builder.AddFile(program, File.ReadAllBytes(Path.Combine(build, "user", "xv6", program)));
        builder.AddDevice("console", 1, 0);
        builder.AddDevice("null", 2, 0); // what init made before the statistics device came
        using var image = new TemporaryFile();
        File.WriteAllBytes(image.Path, builder.Build());
        RunResult r = KernelRun.Execute(new KernelOptions { Cpus = 1, DiskImage = image.Path }, "cat null\n", "the boot", k => k.BootInit());
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal("init: starting sh\n", r.Output);
        var reader = ImageReader.Open(image.Path);
        Assert.Equal((short)AbiConstants.NULLDEV, reader.ReadInode(reader.Lookup("null")!.Value).Major);
        Assert.Equal((short)AbiConstants.STATS, reader.ReadInode(reader.Lookup("statistics")!.Value).Major);
        Assert.Equal(InodeType.Device, reader.ReadInode(reader.Lookup("statistics")!.Value).Type);
    }
}
