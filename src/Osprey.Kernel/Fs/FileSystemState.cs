namespace Osprey.Kernel.Fs;

/// <summary>What a disk's <see cref="ShutdownRecord"/> says about how it was last left.</summary>
public enum FileSystemState
{
    /// <summary>No record (an image from xv6's mkfs): a crash cannot be told from a clean halt.</summary>
    Unrecorded = 0,

    /// <summary>A kernel mounted it and has not shut it down cleanly (still in use, or it crashed).</summary>
    Mounted = 1,

    /// <summary>Shut down cleanly: every operation committed, no unlinked file left open.</summary>
    Clean = 2,
}
