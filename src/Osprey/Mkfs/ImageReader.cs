using System.Buffers.Binary;
using System.Text;
using Osprey.Kernel.Fs;

namespace Osprey.Mkfs;

/// <summary>
/// Reads an xv6 disk image on the host, without the kernel: its superblock, inodes, directories
/// and files, and its free bitmap. For tests and tools (fsck). Every block number it follows is
/// checked, so a damaged image gives an <see cref="InvalidDataException"/>, never a wrong read.
/// </summary>
public sealed class ImageReader
{
    private readonly byte[] _image;

    public ImageReader(byte[] image)
    {
        if (image.Length % FsLayout.BlockSize != 0 || image.Length < 2 * FsLayout.BlockSize)
            throw new InvalidDataException($"an image of {image.Length} bytes is not a whole number of blocks, or too small");
        _image = image;
        Superblock = Superblock.Parse(Block(FsLayout.SuperblockBlock));
        if (Superblock.Problem(BlockCount) is { } problem)
            throw new InvalidDataException($"not a usable xv6 file system: {problem}");
    }

    public static ImageReader Open(string path) => new(File.ReadAllBytes(path));

    public Superblock Superblock { get; }

    public long BlockCount => _image.Length / FsLayout.BlockSize;

    public ReadOnlySpan<byte> Block(uint block)
    {
        if (block >= BlockCount)
            throw new InvalidDataException($"block {block} is past the end of the image ({BlockCount} blocks)");
        return _image.AsSpan((int)(block * (long)FsLayout.BlockSize), FsLayout.BlockSize);
    }

    public DiskInode ReadInode(uint inum)
    {
        if (inum == 0 || inum >= Superblock.Inodes)
            throw new InvalidDataException($"inode {inum} is outside 1..{Superblock.Inodes - 1}");
        return DiskInode.Parse(Block(Superblock.InodeBlock(inum))[DiskInode.OffsetInBlock(inum)..]);
    }

    /// <summary>The disk block holding block <paramref name="fileBlock"/> of a file, or 0 for none.</summary>
    public uint BlockOf(DiskInode inode, uint fileBlock)
    {
        uint address;
        if (fileBlock < FsLayout.DirectBlocks)
        {
            address = inode.Addresses[fileBlock];
        }
        else
        {
            uint index = fileBlock - FsLayout.DirectBlocks;
            uint indirect = inode.Addresses[DiskInode.IndirectSlot];
            if (index >= FsLayout.IndirectBlocks)
                throw new InvalidDataException($"file block {fileBlock} is past the largest file");
            address = indirect == 0 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(DataBlock(indirect)[((int)index * sizeof(uint))..]);
        }
        if (address != 0)
            DataBlock(address);
        return address;
    }

    /// <summary>Everything an inode holds (holes read as zeros).</summary>
    public byte[] ReadContents(uint inum)
    {
        DiskInode inode = ReadInode(inum);
        if (inode.Size > FsLayout.MaxFileSize)
            throw new InvalidDataException($"inode {inum} says {inode.Size} bytes, more than the largest file");
        var contents = new byte[inode.Size];
        for (uint i = 0; i * FsLayout.BlockSize < contents.Length; i++)
        {
            uint address = BlockOf(inode, i);
            int start = (int)i * FsLayout.BlockSize;
            int length = Math.Min(FsLayout.BlockSize, contents.Length - start);
            if (address != 0)
                Block(address)[..length].CopyTo(contents.AsSpan(start));
        }
        return contents;
    }

    public List<DirectoryEntry> ListDirectory(uint inum)
    {
        if (ReadInode(inum).Type != InodeType.Directory)
            throw new IOException($"inode {inum} is not a directory");
        byte[] contents = ReadContents(inum);
        var entries = new List<DirectoryEntry>(contents.Length / DirectoryEntry.EncodedLength);
        for (int off = 0; off + DirectoryEntry.EncodedLength <= contents.Length; off += DirectoryEntry.EncodedLength)
            entries.Add(DirectoryEntry.Parse(contents.AsSpan(off)));
        return entries;
    }

    public List<DirectoryEntry> ListDirectory(string path) => ListDirectory(Lookup(path) ?? throw NotFound(path));

    public byte[] ReadFile(string path) => ReadContents(Lookup(path) ?? throw NotFound(path));

    /// <summary>The inode number of a path from the root ('/'-separated, names compared as the kernel compares them), or null.</summary>
    public uint? Lookup(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path);
        uint inum = FsLayout.RootInode;
        int position = 0;
        while (PathResolver.NextElement(bytes, ref position, out ReadOnlySpan<byte> name))
        {
            if (ReadInode(inum).Type != InodeType.Directory)
                return null;
            DirectoryEntry? found = null;
            foreach (DirectoryEntry e in ListDirectory(inum))
            {
                if (!e.IsFree && Kernel.Fs.Directory.NamesEqual(e.Name, name))
                {
                    found = e;
                    break;
                }
            }
            if (found == null)
                return null;
            inum = found.Value.Inum;
        }
        return inum;
    }

    /// <summary>Whether the free bitmap marks <paramref name="block"/> as in use.</summary>
    public bool IsAllocated(uint block)
    {
        if (block >= Superblock.Size)
            throw new ArgumentOutOfRangeException(nameof(block), block, $"the file system has {Superblock.Size} blocks");
        return (Block(Superblock.BitmapBlock(block))[(int)(block % FsLayout.BitsPerBitmapBlock / 8)] & (1 << (int)(block % 8))) != 0;
    }

    /// <summary>A block number taken from an inode, which must lie among the data blocks.</summary>
    private ReadOnlySpan<byte> DataBlock(uint address)
    {
        if (address < Superblock.DataStart || address >= Superblock.Size)
            throw new InvalidDataException($"block number {address} is outside the data blocks {Superblock.DataStart}..{Superblock.Size - 1}");
        return Block(address);
    }

    private static FileNotFoundException NotFound(string path) => new($"{path}: not in the image");
}
