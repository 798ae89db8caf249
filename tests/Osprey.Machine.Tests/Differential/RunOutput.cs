namespace Osprey.Machine.Tests.Differential;

/// <summary>What one run of a guest program produced.</summary>
/// <param name="ExitCode">The exit status, or 128 + signal for a fault (both runners use that convention).</param>
/// <param name="Stdout">Everything the guest wrote to fd 1.</param>
/// <param name="Messages">The guest's fd 2 plus the runner's own messages (fault descriptions); shown, never compared.</param>
/// <param name="Instructions">Instructions retired, where the runner can tell; for statistics only.</param>
internal sealed record RunOutput(int ExitCode, byte[] Stdout, string Messages, ulong? Instructions = null)
{
    public bool SameAs(RunOutput other) => ExitCode == other.ExitCode && Stdout.AsSpan().SequenceEqual(other.Stdout);
}
