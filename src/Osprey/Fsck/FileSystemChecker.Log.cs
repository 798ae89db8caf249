using System.Buffers.Binary;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Fsck;

// Step 2: the log. The header (block LogStart) holds an int32 count and that many uint32 home
// block numbers; data block i is at LogStart+1+i. A nonzero count is a committed transaction
// the kernel would install at mount, so the image is checked as it will be after that.
public sealed partial class FileSystemChecker
{
    private static ImageReader ReplayLog(byte[] bytes, FsckReport report)
    {
        var image = new ImageReader(bytes);
        Superblock sb = image.Superblock;
        ReadOnlySpan<byte> header = image.Block(sb.LogStart);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (count == 0)
            return image;
        int capacity = (int)Math.Min(sb.LogBlocks - 1, (FsLayout.BlockSize - sizeof(uint)) / sizeof(uint));
        if (count < 0 || count > capacity)
        {
            report.Problem($"log: the header says {count} blocks, but the log holds at most {capacity}; not replayed (the kernel will refuse to mount)");
            return image;
        }
        var homes = new uint[count];
        for (int i = 0; i < count; i++)
        {
            homes[i] = BinaryPrimitives.ReadUInt32LittleEndian(header[(sizeof(uint) * (1 + i))..]);
            if (homes[i] < sb.InodeStart || homes[i] >= sb.Size)
            {
                report.Problem($"log: entry {i} names block {homes[i]}, outside the inode, bitmap and data blocks {sb.InodeStart}..{sb.Size - 1}; not replayed (the kernel will refuse to mount)");
                return image;
            }
        }

        byte[] replayed = (byte[])bytes.Clone();
        for (int i = 0; i < count; i++)
            image.Block(sb.LogStart + 1 + (uint)i).CopyTo(replayed.AsSpan((int)(homes[i] * (long)FsLayout.BlockSize), FsLayout.BlockSize));
        replayed.AsSpan((int)(sb.LogStart * (long)FsLayout.BlockSize), FsLayout.BlockSize).Clear();
        report.ReplayedLogBlocks = count;
        report.Note($"log: a committed transaction of {count} block{(count == 1 ? "" : "s")} was replayed before checking, as the kernel does at mount");
        return new ImageReader(replayed);
    }
}
