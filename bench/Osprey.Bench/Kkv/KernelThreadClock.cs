using System.Diagnostics;
using System.Globalization;
using Osprey.Bench.Guest;

namespace Osprey.Bench.Kkv;

/// <summary>
/// Runs osprey and, each time it prints a line, reads how long its kernel threads (the host
/// threads named <c>osprey-kthread</c>, which run the simulated CPUs' work) have been on a host
/// CPU and how long they were runnable but waiting for one, from Linux's
/// <c>/proc/PID/task/TID/schedstat</c>. Between two of kkv_bench's "run" lines that gives a
/// run's own figures: the host CPU time its pairs took (which does not depend on how busy the
/// host is) and the share of the time the CPUs' threads had work but no host core (which is
/// the host being busy). Elsewhere than Linux the figures are zero.
/// </summary>
internal static class KernelThreadClock
{
    /// <summary>What the kernel threads had used when a line was printed: seconds on a host CPU and seconds waiting for one.</summary>
    public readonly record struct Reading(string Line, double OnCpu, double Waiting);

    public static (ProcessResult Result, IReadOnlyList<Reading> Lines) Run(string file, IReadOnlyList<string> arguments, string workingDirectory)
    {
        ProcessStartInfo start = HostProcess.StartInfo(file, arguments, workingDirectory);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new BenchmarkFailure($"could not start {file}");
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<Reading>();
        var stdout = new System.Text.StringBuilder();
        Task reader = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                (double onCpu, double waiting) = Read(process.Id);
                lines.Add(new Reading(line, onCpu, waiting));
                stdout.Append(line).Append('\n');
            }
        });
        if (!process.WaitForExit(HostProcess.Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new BenchmarkFailure($"{HostProcess.Format(file, arguments)} did not finish within {HostProcess.Timeout.TotalMinutes:0} minutes");
        }
        reader.GetAwaiter().GetResult();
        return (new ProcessResult(process.ExitCode, stdout.ToString(), stderr.GetAwaiter().GetResult(), clock.Elapsed), lines);
    }

    /// <summary>The sums over the process's kernel threads now (threads gone are not counted: the pool keeps them for the life of the run).</summary>
    private static (double OnCpu, double Waiting) Read(int pid)
    {
        double onCpu = 0, waiting = 0;
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
            return (0, 0);
        try
        {
            foreach (string task in Directory.GetDirectories(tasks))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != "osprey-kthread")
                        continue;
                    string[] fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    onCpu += long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e9;
                    waiting += long.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9;
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }
        }
        catch (IOException)
        {
            // The process ended.
        }
        return (onCpu, waiting);
    }
}
