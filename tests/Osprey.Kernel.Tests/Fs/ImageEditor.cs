using System.Buffers.Binary;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>Changes an image's bytes in place, one field at a time: for tests that damage a file system on purpose.</summary>
internal sealed class ImageEditor(byte[] image)
{
    public byte[] Bytes => image;

    public Superblock Superblock => Reader.Superblock;

    private ImageReader Reader => new(image);

    public uint Inum(string path) => Reader.Lookup(path) ?? throw new FileNotFoundException(path);

    public DiskInode Inode(uint inum) => Reader.ReadInode(inum);

    /// <summary>Reads inode <paramref name="inum"/>, lets <paramref name="change"/> alter it, and writes it back.</summary>
    public void EditInode(uint inum, Action<DiskInode> change)
    {
        DiskInode d = Inode(inum);
        change(d);
        d.WriteTo(Block(Superblock.InodeBlock(inum))[DiskInode.OffsetInBlock(inum)..]);
    }

    public void SetBitmap(uint block, bool used)
    {
        Span<byte> bits = Block(Superblock.BitmapBlock(block));
        int i = (int)(block % FsLayout.BitsPerBitmapBlock / 8);
        byte mask = (byte)(1 << (int)(block % 8));
        bits[i] = used ? (byte)(bits[i] | mask) : (byte)(bits[i] & ~mask);
    }

    public bool IsAllocated(uint block) => Reader.IsAllocated(block);

    /// <summary>Sets the superblock's shutdown record, as a kernel's mount or clean halt would.</summary>
    public void SetState(FileSystemState state) => ShutdownRecord.Write(Block(FsLayout.SuperblockBlock), state);

    /// <summary>Points the entry <paramref name="name"/> of directory <paramref name="dir"/> at <paramref name="inum"/> (0 frees it).</summary>
    public void SetEntry(string dir, string name, ushort inum)
    {
        ImageReader reader = Reader;
        uint dirInum = Inum(dir);
        List<DirectoryEntry> entries = reader.ListDirectory(dirInum);
        int index = entries.FindIndex(e => !e.IsFree && e.NameText == name);
        if (index < 0)
            throw new FileNotFoundException($"{dir}: no entry {name}");
        int offset = index * DirectoryEntry.EncodedLength;
        uint block = reader.BlockOf(reader.ReadInode(dirInum), (uint)(offset / FsLayout.BlockSize));
        BinaryPrimitives.WriteUInt16LittleEndian(Block(block)[(offset % FsLayout.BlockSize)..], inum);
    }

    public Span<byte> Block(uint block) => image.AsSpan((int)(block * (long)FsLayout.BlockSize), FsLayout.BlockSize);
}
