using BenchmarkDotNet.Attributes;
using Osprey.Kernel.Mem;
using Osprey.Kernel.Sched;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Bench.Mem;

/// <summary>
/// The frame allocator policies on their own (no junk fill, no front door): the cost of one
/// allocation and one free, over 32,768 frames (128 MiB), with memory already <see cref="Fill"/>
/// percent full (100: every frame, so each operation frees one and must find that one again).
/// Each operation frees a frame chosen at random among those held and allocates one, so the
/// free frames end up scattered as in a kernel that has run a while; a bitmap's scan then has
/// to pass over more used words the fuller memory is, which a list and a segment tree do not,
/// while a list's next pointers live in the free frames themselves, scattered over RAM, and
/// cost a cache miss each. The work runs on a kernel thread of a one-CPU scheduler (the policies' locks
/// need a CPU); handing each batch of <see cref="Operations"/> to it costs well under a
/// nanosecond an operation.
/// </summary>
public class FramePolicyBenchmarks : IDisposable
{
    private const int Operations = 200_000;
    private const ulong Ram = 128UL << 20;

    private PhysicalMemory _memory = null!;
    private Hart _hart = null!;
    private Scheduler _scheduler = null!;
    private IFramePolicy _policy = null!;
    private ulong[] _held = [];
    private int[] _victims = [];

    [Params("freelist", "percpu", "segtree", "bitmap")]
    public string Policy { get; set; } = "freelist";

    [Params(0.0, 50.0, 90.0, 99.0, 99.9, 100.0)]
    public double Fill { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _memory = new PhysicalMemory(Ram);
        _hart = new Hart(_memory);
        _scheduler = new Scheduler([_hart]);
        _scheduler.Start(_ => { });
        var range = new FramePolicyRange(_memory, PhysicalMemory.Base, _memory.End);
        _policy = FrameAllocator.CreatePolicy(Policy, range, cpus: 1);
        int held = Math.Max(1, (int)(range.Frames * Fill / 100));
        _held = new ulong[held];
        var random = new Random(15);
        _victims = Enumerable.Range(0, Operations).Select(_ => random.Next(held)).ToArray();
        OnKernelThread(() =>
        {
            for (int i = 0; i < held; i++)
                _held[i] = _policy.Allocate();
            // Scatter what is free: give back and take again a random tenth of the held frames.
            for (int i = 0; i < held / 10; i++)
            {
                int v = random.Next(held);
                _policy.Free(_held[v]);
                _held[v] = _policy.Allocate();
            }
        });
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void FreeOneAllocateOne() => OnKernelThread(() =>
    {
        ulong[] held = _held;
        int[] victims = _victims;
        IFramePolicy policy = _policy;
        for (int i = 0; i < victims.Length; i++)
        {
            int v = victims[i];
            policy.Free(held[v]);
            held[v] = policy.Allocate();
        }
    });

    /// <summary>Runs <paramref name="work"/> on a kernel thread holding the CPU and waits for it.</summary>
    private void OnKernelThread(Action work)
    {
        using var done = new ManualResetEventSlim();
        Exception? failure = null;
        _scheduler.Submit(_scheduler.CreateThread("bench", () =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                failure = e;
            }
            done.Set();
        }));
        done.Wait();
        if (failure != null)
            throw new InvalidOperationException("the benchmark's kernel thread failed", failure);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _scheduler.Halt();
        _hart.Dispose();
        _memory.Dispose();
        GC.SuppressFinalize(this);
    }
}
