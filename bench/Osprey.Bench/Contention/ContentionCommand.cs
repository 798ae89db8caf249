using System.Diagnostics;
using System.Globalization;
using System.Text;
using Osprey.Bench.Guest;
using Osprey.Kernel;
using Osprey.Kernel.Mem;
using Osprey.Kernel.Sync;
using Spectre.Console;

namespace Osprey.Bench.Contention;

/// <summary>
/// The kalloc contention benchmark: stressmem and kalloctest's test1 loop under every frame
/// allocator on each CPU count, booted in this process (so that the kernel's own counters can be
/// read when each run ends), on private copies of the default image. One table side by side:
/// wall time, page operations per second, kmem acquisitions, contended acquisitions and spin
/// iterations, and steals; then the goals.
/// </summary>
internal static class ContentionCommand
{
    public static int Run(ContentionOptions options)
    {
        try
        {
            string root = RepositoryRoot.Locate();
            // The build makes the default disk image (build/fs.img) from user/.
            OspreyCommand.Build(root, out IReadOnlyList<string> buildCommands);
            (string Name, string[] Argv)[] workloads =
            [
                ("stressmem", ["stressmem", options.Rounds.ToString(CultureInfo.InvariantCulture)]),
                ("kalloctest test1", ["kalloctest", "test1"]),
            ];
            var results = new List<ContentionMeasurement>();
            foreach ((string name, string[] argv) in workloads)
            {
                foreach (string allocator in options.Allocators)
                {
                    foreach (int cpus in options.Cpus)
                    {
                        ContentionMeasurement m = Measure(name, argv, allocator, cpus);
                        Console.Error.WriteLine($"{name}: {allocator} on {cpus} CPU{(cpus == 1 ? "" : "s")}: {m.Seconds:F2} s, {m.OperationsPerSecond:F0} page ops/s, {m.Contended} of {m.Acquisitions} kmem acquisitions contended");
                        results.Add(m);
                    }
                }
            }
            ContentionTable.Print(results);
            MachineReport.Print(root, qemu: null,
            [
                .. buildCommands,
                $"in process, for each allocator A and CPU count C: osprey run --cpus C --allocator A stressmem {options.Rounds}; osprey run --cpus C --allocator A kalloctest test1",
            ]);
            return 0;
        }
        catch (BenchmarkFailure e)
        {
            return e.Report();
        }
    }

    private static ContentionMeasurement Measure(string workload, string[] argv, string allocator, int cpus)
    {
        using TemporaryFile image = DefaultImage.Copy() ?? throw new BenchmarkFailure($"{DefaultImage.Path} is missing after the build");
        var console = new MemoryStream();
        var diagnostics = new StringWriter();
        var kernel = new OspreyKernel(new KernelOptions
        {
            Cpus = cpus,
            Allocator = allocator,
            DiskImage = image.Path,
            ConsoleOutput = Stream.Synchronized(console),
            Diagnostics = TextWriter.Synchronized(diagnostics),
        });
        using (kernel)
        {
            var clock = Stopwatch.StartNew();
            int status = kernel.Run(argv[0], argv);
            clock.Stop();
            string output = Encoding.UTF8.GetString(console.ToArray());
            string verdict = output.Contains("test1 OK", StringComparison.Ordinal) ? "test1 OK"
                : output.Contains("test1 FAIL", StringComparison.Ordinal) ? "test1 FAIL"
                : status == 0 ? "ok" : "failed";
            if (verdict == "failed" || (workload == "stressmem" && status != 0))
                throw new BenchmarkFailure($"{string.Join(' ', argv)} with --allocator {allocator} on {cpus} CPUs exited with status {status}:\n{output}{diagnostics}".TrimEnd());

            var kmem = new LockStats();
            foreach (LockClass c in kernel.Locks.Classes().Where(c => c.Name is "kmem" or "kmem.cpu"))
                kmem.Add(kernel.Locks.Sum(c));
            long steals = kernel.Frames.Policy is PerCpuPolicy percpu ? percpu.Steals : 0;
            return new ContentionMeasurement(workload, allocator, cpus, clock.Elapsed.TotalSeconds,
                kernel.Frames.Allocations + kernel.Frames.Frees, kmem.Acquisitions, kmem.Contended, kmem.SpinIterations, steals, verdict);
        }
    }
}
