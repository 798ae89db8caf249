using Osprey.Machine.Devices;

namespace Osprey.Kernel;

// Fault injection for crash testing: a disk that stops after N writes, and the machine
// stopping with it, as at a power cut. The image is left exactly as the Nth write left it;
// booting from it again is how the log's recovery is tested.
public sealed partial class OspreyKernel
{
    /// <summary>
    /// What run and boot exit with when the machine stopped because its disk did: 128 + 9, as
    /// for a process killed by SIGKILL, since a power cut is a kill nothing can catch.
    /// </summary>
    public const int PowerCutStatus = 137;

    /// <summary>Whether the machine stopped because fault injection stopped its disk.</summary>
    public bool DiskStopped => Disk?.HasStopped == true;

    /// <summary>
    /// Arms the disk's stop if the options ask for one. Called as soon as the disk exists, so
    /// that the count includes the writes of log recovery at mount.
    /// </summary>
    private void ArmFaultInjection(BlockDevice disk)
    {
        if (Options.CrashAfterWrites is not { } writes)
            return;
        if (writes < 1)
            throw new ArgumentOutOfRangeException(nameof(Options), writes, "--crash-after-writes must be at least 1");
        disk.StopAfterWrites(writes, () => PowerCut(writes));
    }

    /// <summary>
    /// Runs on the thread whose write was the last to land, before that write returns. Any
    /// system call whose writes the disk drops returns after this, and so finds the machine
    /// halted at its return to user mode: no program can report (print) an effect that is not
    /// on the disk.
    /// </summary>
    private void PowerCut(long writes)
    {
        Options.Diagnostics.WriteLine($"osprey: the disk stopped after {writes} write{(writes == 1 ? "" : "s")} (fault injection); machine halted");
        Options.Diagnostics.Flush();
        Halt();
    }
}
