namespace Osprey.Explore;

/// <summary>What one deterministic run of the program under a schedule did, and whether that counts as a failure (why, or null).</summary>
public sealed record RunOutcome(Schedule Schedule, int Status, string Console, string Diagnostics, string? Failure, long Instructions, IReadOnlyList<OfferedPoint> Offered);
