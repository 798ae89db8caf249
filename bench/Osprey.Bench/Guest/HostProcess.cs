using System.Diagnostics;

namespace Osprey.Bench.Guest;

/// <summary>Runs host programs (make, dotnet, osprey, qemu-riscv64) with captured output and a wall-clock time.</summary>
internal static class HostProcess
{
    /// <summary>Longer than any benchmark should take; a guest that hangs fails the run instead of the tool hanging.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>How every benchmark starts a host program: in <paramref name="workingDirectory"/>, all three streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string file, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>
    /// Runs <paramref name="file"/> in <paramref name="workingDirectory"/> and waits for it.
    /// With <paramref name="emptyEnvironment"/> the process gets no environment at all:
    /// qemu-riscv64 hands its environment to the guest and reads QEMU_* settings from it,
    /// while osprey gives the guest none, so both see the same.
    /// </summary>
    public static ProcessResult Run(string file, IReadOnlyList<string> arguments, string workingDirectory, bool emptyEnvironment = false)
    {
        ProcessStartInfo start = StartInfo(file, arguments, workingDirectory);
        if (emptyEnvironment)
            start.Environment.Clear();

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new BenchmarkFailure($"could not start {file}");
        process.StandardInput.Close();
        // Both pipes are drained concurrently so a chatty process cannot block on a full one.
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new BenchmarkFailure($"{Format(file, arguments)} did not finish within {Timeout.TotalMinutes:0} minutes");
        }
        TimeSpan wall = clock.Elapsed;
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), wall);
    }

    /// <summary>Finds <paramref name="name"/> on PATH, as a shell would.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>A command line a reader can paste into a POSIX shell.</summary>
    public static string Format(string file, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { file }.Concat(arguments).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:+,@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
