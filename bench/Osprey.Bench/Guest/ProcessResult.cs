namespace Osprey.Bench.Guest;

/// <summary>What a finished host process left: its status, its output, and how long it ran from start to exit.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Wall);
