using System.Diagnostics;

namespace Osprey.Kernel.Tests.Support;

/// <summary>Runs a host program with some input or none and captures its output; killed (and a timeout thrown) past the deadline.</summary>
internal static class HostProgram
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static (int Status, string Stdout, string Stderr) Run(string program, IReadOnlyList<string> args, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        if (input != null)
            process.StandardInput.Write(input);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not exit within {Deadline.TotalSeconds} s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
