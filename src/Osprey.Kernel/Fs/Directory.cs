using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// Directories: a directory is an inode of type <see cref="InodeType.Directory"/> whose contents
/// are a row of 16-byte <see cref="DirectoryEntry"/> records, read like any file's. Entries
/// with inode number 0 are free slots. "." and ".." are ordinary entries that mkfs and mkdir
/// write, so a lookup needs no special cases for them.
///
/// Every method expects the caller to hold the directory's inode lock; inodes found are
/// returned referenced but unlocked, so that looking up "." (the directory itself) cannot
/// deadlock.
/// </summary>
public sealed class Directory
{
    private readonly InodeCache _inodes;

    public Directory(InodeCache inodes)
    {
        _inodes = inodes;
    }

    /// <summary>
    /// xv6's dirlookup: the inode that <paramref name="name"/> names in <paramref name="dir"/>,
    /// or null. <paramref name="offset"/> is where its entry lies (unlink and rename will need it).
    /// Names are compared as xv6 does: the first 14 bytes, or up to a NUL.
    /// </summary>
    public Inode? Lookup(Inode dir, ReadOnlySpan<byte> name, out uint offset)
    {
        RequireLockedDirectory(dir, "dirlookup");
        offset = 0;
        // A removed directory (someone's cwd keeps it) holds only "." and "..", and its ".."
        // no longer counts in its parent's link count, so the parent may have been removed and
        // freed since: that entry names nothing now. (Under dir's lock nlink cannot drop, and
        // while it is above 0 the parent still names dir, so it is not empty and lives.)
        if (dir.Nlink == 0 && NamesEqual(name, ".."u8))
            return null;
        long at = Find(dir, 0, Match.Named, name, out ushort inum);
        offset = at < 0 ? 0 : (uint)at;
        return at < 0 ? null : _inodes.Get(inum);
    }

    /// <summary>Every entry of <paramref name="dir"/>, free slots included, in order.</summary>
    public List<DirectoryEntry> Entries(Inode dir)
    {
        RequireLockedDirectory(dir, "direntries");
        var entries = new List<DirectoryEntry>();
        Span<byte> raw = stackalloc byte[DirectoryEntry.EncodedLength];
        for (uint off = 0; off < dir.Size; off += DirectoryEntry.EncodedLength)
        {
            ReadEntry(dir, off, raw);
            entries.Add(DirectoryEntry.Parse(raw));
        }
        return entries;
    }

    /// <summary>
    /// xv6's dirlink: adds the entry <paramref name="name"/> → <paramref name="inum"/> in the
    /// first free slot, or at the end. False if the name is there already, or the directory
    /// cannot grow (a full disk). The caller is inside a log operation.
    /// </summary>
    public bool Link(Inode dir, ReadOnlySpan<byte> name, uint inum)
    {
        RequireLockedDirectory(dir, "dirlink");
        Inode? existing = Lookup(dir, name, out _);
        if (existing != null)
        {
            _inodes.Put(existing);
            return false;
        }
        uint free = FreeSlot(dir);
        Span<byte> raw = stackalloc byte[DirectoryEntry.EncodedLength];
        raw.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(raw, (ushort)inum);
        ReadOnlySpan<byte> cut = name[..Math.Min(name.Length, FsLayout.NameLength)];
        int nul = cut.IndexOf((byte)0);
        (nul >= 0 ? cut[..nul] : cut).CopyTo(raw[2..]);
        return _inodes.Write(dir, free, raw) == raw.Length;
    }

    /// <summary>Clears the entry at <paramref name="offset"/> (what unlink does to a name).</summary>
    public void RemoveAt(Inode dir, uint offset)
    {
        RequireLockedDirectory(dir, "dirremove");
        Span<byte> raw = stackalloc byte[DirectoryEntry.EncodedLength];
        raw.Clear();
        if (_inodes.Write(dir, offset, raw) != raw.Length)
            throw Panic.Now($"unlink {dir}: cannot clear the entry at offset {offset}");
    }

    /// <summary>xv6's isdirempty: whether the directory holds nothing but "." and "..".</summary>
    public bool IsEmpty(Inode dir)
    {
        RequireLockedDirectory(dir, "isdirempty");
        return Find(dir, 2 * DirectoryEntry.EncodedLength, Match.InUse, default, out _) < 0;
    }

    /// <summary>The offset of the first free entry, or the end of the directory.</summary>
    private uint FreeSlot(Inode dir)
    {
        long at = Find(dir, 0, Match.Free, default, out _);
        return at < 0 ? dir.Size : (uint)at;
    }

    private enum Match
    {
        Free,
        InUse,
        Named,
    }

    /// <summary>
    /// The offset of the first entry at or after <paramref name="from"/> that is free, in use,
    /// or in use under <paramref name="name"/>; -1 if none. Reads a block's worth of entries
    /// at a time, so a lookup costs one buffer per block, not one per entry.
    /// </summary>
    private long Find(Inode dir, uint from, Match match, ReadOnlySpan<byte> name, out ushort inum)
    {
        Span<byte> chunk = stackalloc byte[FsLayout.BlockSize];
        for (uint off = from; off < dir.Size;)
        {
            int n = _inodes.Read(dir, off, chunk[..(int)Math.Min((uint)chunk.Length, dir.Size - off)]);
            if (n <= 0 || n % DirectoryEntry.EncodedLength != 0)
                throw Panic.Now($"dirlookup {dir}: partial entry at offset {off} (size {dir.Size})");
            for (int i = 0; i < n; i += DirectoryEntry.EncodedLength)
            {
                inum = BinaryPrimitives.ReadUInt16LittleEndian(chunk[i..]);
                bool hit = match switch
                {
                    Match.Free => inum == 0,
                    Match.InUse => inum != 0,
                    _ => inum != 0 && NamesEqual(chunk.Slice(i + 2, FsLayout.NameLength), name),
                };
                if (hit)
                    return off + i;
            }
            off += (uint)n;
        }
        inum = 0;
        return -1;
    }

    /// <summary>
    /// xv6's namecmp (strncmp over DIRSIZ bytes): equal when the first 14 bytes agree, or they
    /// agree up to a NUL. The end of a span counts as a NUL, so an unpadded name matches its
    /// padded form, and only the first 14 bytes of a longer name matter.
    /// </summary>
    public static bool NamesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < FsLayout.NameLength; i++)
        {
            byte x = i < a.Length ? a[i] : (byte)0;
            byte y = i < b.Length ? b[i] : (byte)0;
            if (x != y)
                return false;
            if (x == 0)
                return true;
        }
        return true;
    }

    private void ReadEntry(Inode dir, uint offset, Span<byte> raw)
    {
        // A directory's size is a multiple of 16 on any sound disk.
        if (_inodes.Read(dir, offset, raw) != raw.Length)
            throw Panic.Now($"dirlookup {dir}: partial entry at offset {offset} (size {dir.Size})");
    }

    private static void RequireLockedDirectory(Inode dir, string who)
    {
        if (!dir.IsLockedByMe)
            throw Panic.Now($"{who} {dir}: inode not locked by this thread");
        if (dir.Type != InodeType.Directory)
            throw Panic.Now($"{who} {dir}: not a directory");
    }
}
