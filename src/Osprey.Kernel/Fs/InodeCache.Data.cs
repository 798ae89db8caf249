using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

// An inode's contents: finding its blocks (bmap), reading them (readi) and describing it
// (stat). Every method here expects the caller to hold the inode's lock.
public sealed partial class InodeCache
{
    /// <summary>
    /// xv6's bmap: the disk block holding block <paramref name="fileBlock"/> of the file, or 0
    /// when the file has no block there (a hole, or past its end). The first 12 blocks are
    /// listed in the inode; the next 256 in its indirect block.
    /// </summary>
    public uint Bmap(Inode ip, uint fileBlock)
    {
        RequireLocked(ip, "bmap");
        // The write side allocates here when the slot (or the indirect block) is 0.
        if (fileBlock < FsLayout.DirectBlocks)
            return Checked(ip, ip.Addresses[fileBlock]);

        uint index = fileBlock - FsLayout.DirectBlocks;
        if (index >= FsLayout.IndirectBlocks)
            throw Panic.Now($"bmap {ip}: block {fileBlock} is past the largest file");
        uint indirect = Checked(ip, ip.Addresses[DiskInode.IndirectSlot]);
        if (indirect == 0)
            return 0;
        Buffer b = _buffers.Read(ip.Device, indirect);
        uint address = BinaryPrimitives.ReadUInt32LittleEndian(b.Data.AsSpan((int)index * sizeof(uint)));
        _buffers.Release(b);
        return Checked(ip, address);
    }

    /// <summary>
    /// xv6's readi into kernel memory: copies up to <c>destination.Length</c> bytes from
    /// <paramref name="offset"/>, stopping at the end of the file. Returns the bytes copied: 0
    /// at or past the end, or when offset + length overflows, as xv6 does.
    /// </summary>
    public int Read(Inode ip, ulong offset, Span<byte> destination)
    {
        RequireLocked(ip, "readi");
        int n = Readable(ip, offset, destination.Length);
        for (int done = 0; done < n;)
            done += CopyFromBlock(ip, offset + (ulong)done, destination[done..n]);
        return n;
    }

    /// <summary>
    /// readi into user memory: as <see cref="Read(Inode, ulong, Span{byte})"/>, but each piece
    /// goes to <paramref name="copyOut"/>(user address, bytes), which the syscall layer makes
    /// copyout through the process's page table. Returns -1 as soon as it reports failure
    /// (a bad user address); earlier pieces stay copied, as in xv6.
    /// </summary>
    public int ReadToUser(Inode ip, ulong offset, ulong userAddress, int count, Func<ulong, ReadOnlySpan<byte>, bool> copyOut)
    {
        RequireLocked(ip, "readi");
        int n = Readable(ip, offset, count);
        Span<byte> piece = stackalloc byte[FsLayout.BlockSize];
        for (int done = 0; done < n;)
        {
            // Staged through a kernel copy so that no buffer is held during copyout, which may
            // touch user page tables.
            int m = CopyFromBlock(ip, offset + (ulong)done, piece[..Math.Min(n - done, piece.Length)]);
            if (!copyOut(userAddress + (ulong)done, piece[..m]))
                return -1;
            done += m;
        }
        return n;
    }

    /// <summary>xv6's stati: what fstat reports.</summary>
    public FileStat Stat(Inode ip)
    {
        RequireLocked(ip, "stati");
        return new FileStat(ip.Device, ip.Number, ip.Type, ip.Nlink, ip.Size);
    }

    /// <summary>How many of <paramref name="count"/> bytes at <paramref name="offset"/> lie inside the file.</summary>
    private static int Readable(Inode ip, ulong offset, int count)
    {
        if (count < 0)
            throw Panic.Now($"readi {ip}: negative count {count}");
        if (offset > ip.Size || offset + (ulong)count < offset)
            return 0;
        return (int)Math.Min((ulong)count, ip.Size - offset);
    }

    /// <summary>
    /// Copies from the one block that holds <paramref name="offset"/> as many bytes as fit in
    /// <paramref name="destination"/> and the rest of that block; returns how many. A hole reads
    /// as zeros (xv6 would allocate a zeroed block there; the bytes seen are the same).
    /// </summary>
    private int CopyFromBlock(Inode ip, ulong offset, Span<byte> destination)
    {
        int within = (int)(offset % FsLayout.BlockSize);
        int m = Math.Min(destination.Length, FsLayout.BlockSize - within);
        uint address = Bmap(ip, (uint)(offset / FsLayout.BlockSize));
        if (address == 0)
        {
            destination[..m].Clear();
            return m;
        }
        Buffer b = _buffers.Read(ip.Device, address);
        b.Data.AsSpan(within, m).CopyTo(destination);
        _buffers.Release(b);
        return m;
    }

    /// <summary>
    /// A block number taken from an inode, after checking it lies in the file system: a number
    /// outside it means the disk is corrupt, and reading it would hand out some other block.
    /// </summary>
    private uint Checked(Inode ip, uint address)
    {
        if (address != 0 && (address < Superblock.DataStart || address >= Superblock.Size))
            throw Panic.Now($"bmap {ip}: block number {address} is outside the data blocks {Superblock.DataStart}..{Superblock.Size - 1}");
        return address;
    }
}
