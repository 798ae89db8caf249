using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

// The write side of inodes: allocating them (ialloc), writing them back (iupdate), giving
// their blocks back (itrunc) and writing their contents (writei). Everything here changes the
// disk, so the caller is inside a log operation; the methods that take an inode expect the
// caller to hold its lock.
public sealed partial class InodeCache
{
    /// <summary>
    /// xv6's ialloc: claims a free inode on disk for a new file of <paramref name="type"/> and
    /// returns it referenced and unlocked, or null when every inode is in use (xv6 panics; a
    /// full inode table is an ordinary error for the create that hit it).
    /// </summary>
    public Inode? Allocate(InodeType type)
    {
        RequireOperation("ialloc");
        for (uint block = Superblock.InodeStart; block <= Superblock.LastInodeBlock; block++)
        {
            Buffer b = _buffers.Read(Device, block);
            (uint first, uint end) = Superblock.InodesIn(block);
            for (uint inum = first; inum < end; inum++)
            {
                Span<byte> raw = b.Data.AsSpan(DiskInode.OffsetInBlock(inum), DiskInode.EncodedLength);
                if (BinaryPrimitives.ReadInt16LittleEndian(raw) != (short)InodeType.Free)
                    continue;
                // Free on disk but still referenced in the table: its last Put is freeing it
                // and has not yet dropped its reference (the commit may be sleeping). Taking it
                // now would give the new file that stale entry, whose count the freeing Put
                // then drops, so the new file's own last Put would never free it.
                Inode? ip = Take(inum, evenIfReferenced: false);
                if (ip == null)
                    continue;
                // Claimed in the block itself, under its buffer lock, so two creators cannot
                // pick the same inode; the in-memory copy is filled by the first Lock.
                raw.Clear();
                BinaryPrimitives.WriteInt16LittleEndian(raw, (short)type);
                _log.Write(b);
                _buffers.Release(b);
                return ip;
            }
            _buffers.Release(b);
        }
        return null;
    }

    /// <summary>xv6's iupdate: copies the in-memory inode to its disk block (through the log).</summary>
    public void Update(Inode ip)
    {
        RequireLocked(ip, "iupdate");
        RequireOperation("iupdate");
        Buffer b = _buffers.Read(ip.Device, Superblock.InodeBlock(ip.Number));
        var d = new DiskInode { Type = ip.Type, Major = ip.Major, Minor = ip.Minor, Nlink = ip.Nlink, Size = ip.Size };
        ip.Addresses.CopyTo(d.Addresses);
        d.WriteTo(b.Data.AsSpan(DiskInode.OffsetInBlock(ip.Number)));
        _log.Write(b);
        _buffers.Release(b);
    }

    /// <summary>
    /// xv6's itrunc: frees every block of the file and makes it empty. Only the bitmap and the
    /// inode change, so a file of any size fits in one operation (the indirect block itself is
    /// read, not written).
    /// </summary>
    public void Truncate(Inode ip)
    {
        RequireLocked(ip, "itrunc");
        RequireOperation("itrunc");
        for (int i = 0; i < FsLayout.DirectBlocks; i++)
        {
            if (ip.Addresses[i] != 0)
            {
                _blocks.Free(ip.Addresses[i]);
                ip.Addresses[i] = 0;
            }
        }
        uint indirect = ip.Addresses[DiskInode.IndirectSlot];
        if (indirect != 0)
        {
            Buffer b = _buffers.Read(ip.Device, Checked(ip, indirect));
            for (int i = 0; i < FsLayout.IndirectBlocks; i++)
            {
                uint address = BinaryPrimitives.ReadUInt32LittleEndian(b.Data.AsSpan(i * sizeof(uint)));
                if (address != 0)
                    _blocks.Free(Checked(ip, address));
            }
            _buffers.Release(b);
            _blocks.Free(indirect);
            ip.Addresses[DiskInode.IndirectSlot] = 0;
        }
        ip.Size = 0;
        Update(ip);
    }

    /// <summary>
    /// xv6's writei from kernel memory: writes <paramref name="source"/> at
    /// <paramref name="offset"/>, growing the file as needed. Returns the bytes written, which
    /// is fewer than asked only when the disk filled up; -1 if the offset lies past the end of
    /// the file or the write would pass the largest file size. The caller keeps each call
    /// within what one log operation may hold (see <see cref="MaxWritePerOperation"/>).
    /// </summary>
    public int Write(Inode ip, ulong offset, ReadOnlySpan<byte> source)
    {
        RequireLocked(ip, "writei");
        RequireOperation("writei");
        ulong end = offset + (ulong)source.Length;
        if (offset > ip.Size || end < offset || end > (ulong)FsLayout.MaxFileSize)
            return -1;
        int done = 0;
        while (done < source.Length)
        {
            ulong at = offset + (ulong)done;
            uint address = BmapForWrite(ip, (uint)(at / FsLayout.BlockSize));
            if (address == 0)
                break; // the disk is full
            int within = (int)(at % FsLayout.BlockSize);
            int m = Math.Min(source.Length - done, FsLayout.BlockSize - within);
            Buffer b = _buffers.Read(ip.Device, address);
            source.Slice(done, m).CopyTo(b.Data.AsSpan(within));
            _log.Write(b);
            _buffers.Release(b);
            done += m;
        }
        if (offset + (ulong)done > ip.Size)
            ip.Size = (uint)(offset + (ulong)done);
        // Written even when the size is unchanged: bmap may have added block addresses.
        Update(ip);
        return done;
    }

    /// <summary>
    /// The most bytes one writei may write inside one log operation: each data block may also
    /// need the indirect block and a bitmap block, plus the inode's block, within
    /// <see cref="Log.MaxOpBlocks"/> (xv6's filewrite bound).
    /// </summary>
    public const int MaxWritePerOperation = (Log.MaxOpBlocks - 1 - 1 - 2) / 2 * FsLayout.BlockSize;

    /// <summary>
    /// bmap for writing: the block holding file block <paramref name="fileBlock"/>, allocating
    /// it (and the indirect block) when missing; 0 when the disk is full.
    /// </summary>
    private uint BmapForWrite(Inode ip, uint fileBlock)
    {
        if (fileBlock < FsLayout.DirectBlocks)
        {
            if (ip.Addresses[fileBlock] == 0)
                ip.Addresses[fileBlock] = _blocks.Allocate();
            return Checked(ip, ip.Addresses[fileBlock]);
        }
        uint index = fileBlock - FsLayout.DirectBlocks;
        if (index >= FsLayout.IndirectBlocks)
            throw Panic.Now($"bmap {ip}: block {fileBlock} is past the largest file");
        if (ip.Addresses[DiskInode.IndirectSlot] == 0)
        {
            ip.Addresses[DiskInode.IndirectSlot] = _blocks.Allocate();
            if (ip.Addresses[DiskInode.IndirectSlot] == 0)
                return 0;
        }
        Buffer b = _buffers.Read(ip.Device, Checked(ip, ip.Addresses[DiskInode.IndirectSlot]));
        Span<byte> slot = b.Data.AsSpan((int)index * sizeof(uint), sizeof(uint));
        uint address = BinaryPrimitives.ReadUInt32LittleEndian(slot);
        if (address == 0)
        {
            address = _blocks.Allocate();
            if (address != 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(slot, address);
                _log.Write(b);
            }
        }
        _buffers.Release(b);
        return Checked(ip, address);
    }

    private static void RequireOperation(string who)
    {
        if (!Log.InOperation)
            throw Panic.Now($"{who}: outside a log operation");
    }
}
