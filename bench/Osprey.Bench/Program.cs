using Osprey.Bench.Contention;
using Osprey.Bench.Guest;
using Osprey.Bench.Kernel;
using Osprey.Bench.Sched;

namespace Osprey.Bench;

/// <summary>
/// <c>Osprey.Bench guest [--runs N] [--no-qemu] [PROGRAM...]</c> compares whole guest programs
/// under <c>osprey emulate</c> and qemu-riscv64; <c>Osprey.Bench micro [ARGS]</c> hands
/// its arguments to BenchmarkDotNet for the in-process micro-benchmarks.
/// </summary>
internal static class Program
{
    public const string Name = "osprey-bench";
    public const int UsageError = 2;

    private const string Usage = "usage: guest [--runs N] [--no-qemu] [PROGRAM...] | kernel [--runs N] [--cpus 1,3] [BENCHMARK...] | sched [--runs N] [--cpus 1,3] | contention [--cpus 1,2,3,4] [--allocators LIST] [--rounds N] | micro [BenchmarkDotNet arguments]";

    public static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["guest", .. var rest] => GuestCommand.Run(GuestOptions.Parse(rest)),
                ["kernel", .. var rest] => KernelCommand.Run(KernelBenchOptions.Parse(rest)),
                ["sched", .. var rest] => SchedCommand.Run(rest),
                ["contention", .. var rest] => ContentionCommand.Run(ContentionOptions.Parse(rest)),
                ["micro", .. var rest] => MicroCommand.Run(rest),
                ["-h" or "--help", ..] => Help(),
                [] => throw new UsageException("missing command"),
                [var other, ..] => throw new UsageException($"unknown command '{other}'"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{Name}: {e.Message} ({Usage})");
            return UsageError;
        }
    }

    private static int Help()
    {
        Console.WriteLine(Usage);
        return 0;
    }
}
