using Osprey.Fsck;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>What one boot of the kernel running one program produced.</summary>
public sealed record RunResult(int Status, string Output, string Diagnostics, long FreeFramesBefore, long FreeFramesAfter)
{
    /// <summary>fsck's report on the disk after the run (null when the run wrote nothing).</summary>
    public FsckReport? Fsck { get; init; }

    public override string ToString() =>
        $"status {Status}\n--- console ---\n{Output}\n--- diagnostics ---\n{Diagnostics}";
}
