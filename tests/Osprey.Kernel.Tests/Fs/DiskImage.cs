using Osprey.Kernel.Fs;
using Osprey.Kernel.Sched;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>An image's bytes in a temporary file, opened as a block device; deleted on dispose.</summary>
internal sealed class DiskImage : IDisposable
{
    public DiskImage(byte[] bytes, bool writable = false)
    {
        FilePath = Path.Combine(Path.GetTempPath(), $"osprey-fs-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(FilePath, bytes);
        Disk = new BlockDevice(FilePath, writable);
    }

    public string FilePath { get; }

    public BlockDevice Disk { get; }

    /// <summary>A mounted file system on this disk (the superblock is read from this host thread).</summary>
    public FileSystem Mount(Scheduler scheduler, int buffers = 64, int inodes = 50)
    {
        var fs = new FileSystem(scheduler, Disk, device: 1, buffers, inodes);
        fs.Mount();
        return fs;
    }

    public void Dispose()
    {
        Disk.Dispose();
        File.Delete(FilePath);
    }
}
