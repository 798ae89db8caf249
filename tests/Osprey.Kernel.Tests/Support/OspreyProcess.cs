namespace Osprey.Kernel.Tests.Support;

/// <summary>Runs the osprey command built next to the tests as a separate process.</summary>
internal static class OspreyProcess
{
    public static readonly TimeSpan Deadline = HostProgram.Deadline;

    /// <summary>
    /// Runs osprey with <paramref name="args"/> and <paramref name="input"/> piped in (none if
    /// null); its status and output. Killed (and a timeout thrown) past the deadline.
    /// </summary>
    public static (int Status, string Stdout, string Stderr) Run(IReadOnlyList<string> args, string? input = null) =>
        HostProgram.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "osprey.dll"), .. args], input);
}
