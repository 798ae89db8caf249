using System.Text;
using Osprey.Kernel;
using Osprey.Kernel.Sched;

namespace Osprey.Explore;

/// <summary>
/// Runs the program once under a schedule, on a fresh copy of the disk with no console input,
/// and judges the run: it fails on a kernel panic, a deadlock, the instruction limit, a lockdep
/// report, FAIL (or END__FAIL) in the output, or a nonzero exit.
/// </summary>
public static class ScheduleRunner
{
    /// <summary>A run stuck on the host (a kernel bug outside the guest's control) is stopped after this.</summary>
    public static readonly TimeSpan HostDeadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <paramref name="schedule"/>; the console goes to <paramref name="echo"/> as well when
    /// given, and the run's timeline to <paramref name="trace"/> (osprey replay). A trace
    /// changes nothing the run does: its clock is the virtual one, and it is not a preemption point.
    /// </summary>
    public static RunOutcome Run(ExploreSettings settings, Schedule schedule, Stream? echo = null, TextWriter? diagnosticsEcho = null, Stream? trace = null)
    {
        IInterleaving interleaving = schedule.RandomSeed is { } seed ? new SeededInterleaving(seed, schedule.Points) : new ScheduleInterleaving(schedule);
        using TemporaryFile image = new();
        string source = settings.Disk ?? DefaultImage.Path;
        if (!File.Exists(source))
            throw new FileNotFoundException($"no disk image {source}", source);
        File.Copy(source, image.Path, overwrite: true);

        var console = new MemoryStream();
        var diagnostics = new StringWriter();
        TextWriter diagnosticsOut = TextWriter.Synchronized(diagnosticsEcho == null ? diagnostics : new TeeWriter(diagnostics, diagnosticsEcho));
        var kernel = new OspreyKernel(new KernelOptions
        {
            Cpus = schedule.Cpus,
            MemoryBytes = (ulong)settings.MemoryMiB << 20,
            DiskImage = image.Path,
            ConsoleOutput = echo == null ? console : new TeeStream(console, echo),
            Diagnostics = diagnosticsOut,
            Interleaving = interleaving,
            InstructionLimit = settings.InstructionLimit,
            TraceOutput = trace,
            KkvPlantedBug = settings.KkvPlantedBug,
        });
        int status;
        string? failure = null;
        using (kernel)
        {
            var run = Task.Run(() => kernel.Run(settings.Program, settings.Argv));
            if (!run.Wait(HostDeadline))
            {
                kernel.Halt();
                failure = $"the run did not end within {HostDeadline.TotalSeconds} s of host time";
                status = -1;
            }
            else
            {
                status = run.Result;
            }
            string text;
            lock (console)
                text = Encoding.UTF8.GetString(console.ToArray());
            string diag = diagnostics.ToString();
            failure ??= Judge(kernel, status, text, diag);
            IReadOnlyList<OfferedPoint> offered = interleaving is ScheduleInterleaving s ? s.Offered : [];
            return new RunOutcome(schedule, status, text, diag, failure, kernel.Interleaver!.Instructions, offered);
        }
    }

    private static string? Judge(OspreyKernel kernel, int status, string console, string diagnostics)
    {
        if (kernel.PanicReason != null)
        {
            // Lockdep reports its findings as panics whose message starts with "lockdep:".
            string message = FirstLine(kernel.PanicReason.Message);
            return message.Contains("lockdep", StringComparison.Ordinal) ? $"lockdep report: {message}" : $"kernel panic: {message}";
        }
        if (kernel.StopReason != null)
            return kernel.StopReason switch
            {
                "deadlock" => "deadlock: every thread is blocked and nothing can wake one",
                _ => $"{kernel.StopReason}: more than {kernel.Options.InstructionLimit} user instructions",
            };
        if (diagnostics.Contains("lockdep", StringComparison.Ordinal))
            return $"lockdep report: {FirstLine(diagnostics[diagnostics.IndexOf("lockdep", StringComparison.Ordinal)..])}";
        string? failLine = console.Split('\n').FirstOrDefault(l => l.Contains("FAIL", StringComparison.Ordinal));
        if (failLine != null)
            return $"the program printed \"{failLine.Trim()}\"";
        if (status != 0)
            return $"exit status {status}";
        return null;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
