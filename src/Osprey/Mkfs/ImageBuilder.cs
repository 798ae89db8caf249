using System.Buffers.Binary;
using System.Text;
using Osprey.Kernel.Fs;

namespace Osprey.Mkfs;

/// <summary>
/// Builds a disk image in xv6's file-system format on the host (what xv6's mkfs does): a tree of
/// directories, files and device nodes, laid out as
/// <code>
///   [ boot | superblock | log (zeroed) | inodes | bitmap | data ]
/// </code>
/// Inode numbers are given in the order things are added, after the root's 1. Data blocks are
/// handed out in one run from the first data block, each directory's before its children's,
/// and within a file its 12 direct blocks, then its indirect block, then the rest (as xv6's
/// mkfs does); the bitmap marks every block up to the last one used, metadata included.
///
/// Sizes: with <see cref="Size"/> unset the image has 2000 blocks, or as many more as the
/// contents need; with it set, contents that do not fit are an error. <see cref="Inodes"/>
/// works the same way (default 200).
///
/// Two small differences from xv6's mkfs, neither visible to either kernel: directories are
/// exactly as long as their entries (xv6 pads the root to a whole block of free entries), and
/// names are kept as given (xv6 drops a leading '_', which its build puts on program names).
/// </summary>
public sealed class ImageBuilder
{
    /// <summary>The largest image built: 1 GiB, held in memory while it is built.</summary>
    public const int MaxImageBlocks = 1 << 20;

    /// <summary>Inode numbers are 16 bits in directory entries.</summary>
    public const int MaxInodes = 1 << 16;

    private readonly Node _root;
    private readonly List<Node> _byInode = [];

    public ImageBuilder()
    {
        _root = new Node(InodeType.Directory, "/", null);
        Register(_root);
    }

    /// <summary>Blocks in the image; null for 2000 or whatever more the contents need.</summary>
    public int? Size { get; init; }

    /// <summary>Inode slots (xv6's ninodes, numbers 1..Inodes-1); null for 200 or as many as needed.</summary>
    public int? Inodes { get; init; }

    /// <summary>Blocks of the log region, header included.</summary>
    public int LogBlocks { get; init; } = FsLayout.DefaultLogBlocks;

    /// <summary>Adds a directory (with "." and ".."); its parent must already be there.</summary>
    public void AddDirectory(string path) => Add(path, new Node(InodeType.Directory, path, null));

    /// <summary>Adds a file holding <paramref name="contents"/>; its directory must already be there.</summary>
    public void AddFile(string path, byte[] contents)
    {
        if (contents.LongLength > FsLayout.MaxFileSize)
            throw new ImageBuildException($"{path}: {contents.LongLength} bytes is more than the largest xv6 file ({FsLayout.MaxFileSize} bytes)");
        Add(path, new Node(InodeType.File, path, contents));
    }

    /// <summary>Adds a device node, as mknod makes (the console is major 1, minor 0).</summary>
    public void AddDevice(string path, short major, short minor) =>
        Add(path, new Node(InodeType.Device, path, null) { Major = major, Minor = minor });

    /// <summary>The whole image, every block of it.</summary>
    public byte[] Build()
    {
        Superblock sb = Layout();
        var image = new byte[(long)sb.Size * FsLayout.BlockSize];
        sb.WriteTo(Block(image, FsLayout.SuperblockBlock));
        // A new image is as clean as a cleanly halted one (xv6 ignores the record).
        ShutdownRecord.Write(Block(image, FsLayout.SuperblockBlock), FileSystemState.Clean);

        uint next = sb.BitmapStart + FsLayout.BitmapBlocksFor(sb.Size);
        Place(_root, image, sb, ref next);
        MarkUsed(image, sb, next);
        return image;
    }

    private void Add(string path, Node node)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new ImageBuildException($"'{path}': no name");
        Node dir = _root;
        foreach (string part in parts[..^1])
        {
            dir = dir.Children.Find(c => c.Name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(part)))
                ?? throw new ImageBuildException($"'{path}': there is no directory '{part}' to put it in");
            if (dir.Type != InodeType.Directory)
                throw new ImageBuildException($"'{path}': '{part}' is not a directory");
        }

        byte[] name = Encoding.UTF8.GetBytes(parts[^1]);
        if (name.Length > FsLayout.NameLength)
            throw new ImageBuildException($"'{parts[^1]}': the name is {name.Length} bytes; xv6 names are at most {FsLayout.NameLength}");
        if (!DirectoryEntry.IsValidName(name) || parts[^1] is "." or "..")
            throw new ImageBuildException($"'{parts[^1]}' cannot be a name in a directory");
        if (dir.Children.Exists(c => c.Name.AsSpan().SequenceEqual(name)))
            throw new ImageBuildException($"'{path}': there is already an entry named '{parts[^1]}' in {dir.Path}");

        node.Name = name;
        node.Parent = dir;
        dir.Children.Add(node);
        Register(node);
    }

    private void Register(Node node)
    {
        _byInode.Add(node);
        node.Inum = (uint)_byInode.Count; // the root is 1; inode 0 is never used
    }

    /// <summary>The superblock: how big each region is, given what was added.</summary>
    private Superblock Layout()
    {
        if (LogBlocks < 2)
            throw new ImageBuildException($"a log of {LogBlocks} blocks has no room for a header and data");
        long inodesNeeded = _byInode.Count + 1;
        if (inodesNeeded > MaxInodes)
            throw new ImageBuildException($"{_byInode.Count} files and directories is more than xv6's 16-bit inode numbers allow");
        long inodes = Inodes ?? Math.Max(FsLayout.DefaultInodes, inodesNeeded);
        if (inodes > MaxInodes)
            throw new ImageBuildException($"{inodes} inodes is more than xv6's 16-bit inode numbers allow ({MaxInodes})");
        if (inodes < inodesNeeded)
            throw new ImageBuildException($"the contents need {inodesNeeded} inodes (numbers 1..{inodesNeeded - 1}); the image was given {inodes}");

        if (_byInode.Find(n => n.ContentLength > FsLayout.MaxFileSize) is { } huge)
            throw new ImageBuildException($"{huge.Path}: {huge.Children.Count} entries make the directory larger than the largest xv6 file");
        long data = _byInode.Sum(n => BlocksFor(n.ContentLength));
        long fixedMeta = 2 + LogBlocks + FsLayout.InodeBlocksFor((uint)inodes);
        long Needed(long size) => fixedMeta + FsLayout.BitmapBlocksFor((uint)Math.Min(size, uint.MaxValue)) + data;

        long blocks = Size ?? FsLayout.DefaultImageBlocks;
        if (Size == null)
        {
            while (blocks < Needed(blocks) && blocks <= MaxImageBlocks)
                blocks = Needed(blocks); // more blocks may need another bitmap block: go round again
        }
        if (blocks > MaxImageBlocks)
            throw new ImageBuildException($"an image of {blocks} blocks is larger than the largest built ({MaxImageBlocks} blocks)");
        if (blocks < Needed(blocks))
            throw new ImageBuildException($"the contents need an image of at least {Needed(blocks)} blocks; it was given {blocks}");

        uint size = (uint)blocks;
        uint logStart = 2;
        uint inodeStart = logStart + (uint)LogBlocks;
        uint bitmapStart = inodeStart + FsLayout.InodeBlocksFor((uint)inodes);
        return new Superblock
        {
            Size = size,
            DataBlocks = size - (bitmapStart + FsLayout.BitmapBlocksFor(size)),
            Inodes = (uint)inodes,
            LogBlocks = (uint)LogBlocks,
            LogStart = logStart,
            InodeStart = inodeStart,
            BitmapStart = bitmapStart,
        };
    }

    /// <summary>Data blocks for a file of <paramref name="bytes"/>, its indirect block included.</summary>
    private static long BlocksFor(long bytes)
    {
        long blocks = (bytes + FsLayout.BlockSize - 1) / FsLayout.BlockSize;
        return blocks > FsLayout.DirectBlocks ? blocks + 1 : blocks;
    }

    /// <summary>Writes a node's inode and contents, then its children's; advances <paramref name="next"/> past the blocks used.</summary>
    private static void Place(Node node, byte[] image, Superblock sb, ref uint next)
    {
        byte[] contents = node.Type == InodeType.Directory ? DirectoryContents(node) : node.Contents ?? [];

        var inode = new DiskInode
        {
            Type = node.Type,
            Major = node.Major,
            Minor = node.Minor,
            Nlink = node.Nlink,
            Size = (uint)contents.Length,
        };
        for (int i = 0; i * FsLayout.BlockSize < contents.Length; i++)
        {
            if (i == FsLayout.DirectBlocks)
                inode.Addresses[DiskInode.IndirectSlot] = next++;
            uint block = next++;
            if (i < FsLayout.DirectBlocks)
                inode.Addresses[i] = block;
            else
                BinaryPrimitives.WriteUInt32LittleEndian(Block(image, inode.Addresses[DiskInode.IndirectSlot])[((i - FsLayout.DirectBlocks) * sizeof(uint))..], block);
            int start = i * FsLayout.BlockSize;
            contents.AsSpan(start, Math.Min(FsLayout.BlockSize, contents.Length - start)).CopyTo(Block(image, block));
        }
        inode.WriteTo(Block(image, sb.InodeBlock(node.Inum))[DiskInode.OffsetInBlock(node.Inum)..]);

        foreach (Node child in node.Children)
            Place(child, image, sb, ref next);
    }

    /// <summary>".", "..", then each child in the order added.</summary>
    private static byte[] DirectoryContents(Node dir)
    {
        var bytes = new byte[(2 + dir.Children.Count) * DirectoryEntry.EncodedLength];
        var entries = new List<DirectoryEntry>
        {
            new((ushort)dir.Inum, "."u8),
            new((ushort)(dir.Parent ?? dir).Inum, ".."u8), // the root is its own parent
        };
        entries.AddRange(dir.Children.Select(c => new DirectoryEntry((ushort)c.Inum, c.Name)));
        for (int i = 0; i < entries.Count; i++)
            entries[i].WriteTo(bytes.AsSpan(i * DirectoryEntry.EncodedLength));
        return bytes;
    }

    /// <summary>Sets the bitmap bits of blocks 0 .. used-1: block b is bit b%8 of byte b/8 of the bitmap.</summary>
    private static void MarkUsed(byte[] image, Superblock sb, uint used)
    {
        for (uint b = 0; b < used; b++)
            Block(image, sb.BitmapBlock(b))[(int)(b % FsLayout.BitsPerBitmapBlock / 8)] |= (byte)(1 << (int)(b % 8));
    }

    private static Span<byte> Block(byte[] image, uint block) =>
        image.AsSpan().Slice((int)(block * (long)FsLayout.BlockSize), FsLayout.BlockSize);

    private sealed class Node(InodeType type, string path, byte[]? contents)
    {
        public InodeType Type { get; } = type;
        public string Path { get; } = path;
        public byte[]? Contents { get; } = contents;
        public byte[] Name { get; set; } = [];
        public uint Inum { get; set; }
        public Node? Parent { get; set; }
        public List<Node> Children { get; } = [];
        public short Major { get; init; }
        public short Minor { get; init; }

        /// <summary>A directory is named by its parent's entry and by each child's "..".</summary>
        public short Nlink => Type == InodeType.Directory
            ? (short)(1 + Children.Count(c => c.Type == InodeType.Directory))
            : (short)1;

        public long ContentLength => Type == InodeType.Directory
            ? (2L + Children.Count) * DirectoryEntry.EncodedLength
            : Contents?.LongLength ?? 0;
    }
}
