using Osprey.Kernel.Fs;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// The superblock's shutdown record (Fs/ShutdownRecord.cs): a writable disk says Mounted while a
/// kernel uses it and Clean after a clean halt, unless an unlinked file was still open then.
/// fsck uses it to tell a leak (an error) from a crash orphan (a warning).
/// </summary>
public class ShutdownTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheEndOfARunRecordsACleanShutdown(int cpus)
    {
        RunResult r = KernelRun.Program(cpus, "writetest");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(FileSystemState.Clean, r.Fsck!.State);
    }

    [Fact]
    public void TheHaltCallRecordsACleanShutdown()
    {
        RunResult r = KernelRun.Boot(1, "echo data > f\nhalt\n");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Equal(FileSystemState.Clean, r.Fsck!.State);
    }

    [Fact]
    public void AHaltWithAnUnlinkedFileOpenLeavesAnOrphanThatTheNextBootFrees()
    {
        // The inner shell reads its commands from f, so f is its open fd 0 when it removes f and
        // halts: the record stays Mounted, and the unnamed inode is an orphan, not a leak.
        using TemporaryFile image = DefaultImage.Copy()!;
        var options = new KernelOptions { Cpus = 1, DiskImage = image.Path };
        RunResult first = KernelRun.Execute(options, "echo rm f > f\necho halt >> f\nsh < f\n", "the boot", kernel => kernel.BootInit());
        Assert.True(first.Status == 0, first.ToString());
        Assert.Equal(FileSystemState.Mounted, first.Fsck!.State);
        Assert.Single(first.Fsck.Warnings, w => w.Contains("an orphan file"));

        RunResult second = KernelRun.Execute(options, null, "exitcode", kernel => kernel.Run("exitcode", ["exitcode", "0"]));
        Assert.True(second.Status == 0, second.ToString());
        Assert.Contains("freed 1 inode orphaned (unlinked while open when the machine stopped)", second.Diagnostics);
        Assert.Equal(FileSystemState.Clean, second.Fsck!.State);
        Assert.Empty(second.Fsck.Warnings);
    }
}
