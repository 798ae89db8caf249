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
        uint[]? homes = LogHeader.Read(image.Block(sb.LogStart), sb, out string? problem);
        if (homes == null)
        {
            report.Problem($"log: {problem}; not replayed (the kernel will refuse to mount)");
            return image;
        }
        int count = homes.Length;
        if (count == 0)
            return image;

        byte[] replayed = (byte[])bytes.Clone();
        for (int i = 0; i < count; i++)
            image.Block(sb.LogStart + 1 + (uint)i).CopyTo(replayed.AsSpan((int)(homes[i] * (long)FsLayout.BlockSize), FsLayout.BlockSize));
        replayed.AsSpan((int)(sb.LogStart * (long)FsLayout.BlockSize), FsLayout.BlockSize).Clear();
        report.ReplayedLogBlocks = count;
        report.Note($"log: a committed transaction of {count} block{(count == 1 ? "" : "s")} was replayed before checking, as the kernel does at mount");
        return new ImageReader(replayed);
    }
}
