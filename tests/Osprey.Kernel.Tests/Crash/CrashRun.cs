namespace Osprey.Kernel.Tests.Crash;

/// <summary>One boot for the crash tests: the program's status, whether the disk stopped under it, the writes that landed, and the output.</summary>
internal sealed record CrashRun(int Status, bool DiskStopped, long Writes, string Output, string Diagnostics)
{
    public override string ToString() =>
        $"status {Status}, disk {(DiskStopped ? "stopped" : "running")} after {Writes} writes\n--- console ---\n{Output}\n--- diagnostics ---\n{Diagnostics}";
}
