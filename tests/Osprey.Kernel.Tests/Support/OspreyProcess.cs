using System.Diagnostics;

namespace Osprey.Kernel.Tests.Support;

/// <summary>Runs the osprey command built next to the tests as a separate process.</summary>
internal static class OspreyProcess
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs osprey with <paramref name="args"/> and <paramref name="input"/> piped in (none if
    /// null); its status and output. Killed (and a timeout thrown) past the deadline.
    /// </summary>
    public static (int Status, string Stdout, string Stderr) Run(IReadOnlyList<string> args, string? input = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "osprey.dll"));
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process osprey = Process.Start(start) ?? throw new InvalidOperationException("cannot start osprey");
        if (input != null)
            osprey.StandardInput.Write(input);
        osprey.StandardInput.Close();
        Task<string> stdout = osprey.StandardOutput.ReadToEndAsync();
        Task<string> stderr = osprey.StandardError.ReadToEndAsync();
        if (!osprey.WaitForExit(Deadline))
        {
            osprey.Kill(entireProcessTree: true);
            throw new TimeoutException($"osprey {string.Join(' ', args)} did not exit within {Deadline.TotalSeconds} s");
        }
        return (osprey.ExitCode, stdout.Result, stderr.Result);
    }
}
