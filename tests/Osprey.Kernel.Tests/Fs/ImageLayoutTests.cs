using System.Buffers.Binary;
using System.Text;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// The images mkfs builds, checked byte by byte against the facts of xv6's format (not against
/// our own parsers): where each region lies, what the superblock, inodes, directory entries and
/// bitmap hold. xv6's mkfs cannot be fetched here, so these facts stand in for it.
/// </summary>
public class ImageLayoutTests
{
    private const int B = 1024;

    /// <summary>The default image with one two-block file, as `osprey mkfs fs.img README` makes it.</summary>
    private static byte[] DefaultImage()
    {
        var builder = new ImageBuilder();
        builder.AddFile("README", SampleTree.Files["README"]);
        builder.AddDevice("console", 1, 0);
        return builder.Build();
    }

    private static uint U32(byte[] image, long offset) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)offset));

    private static short S16(byte[] image, long offset) => BinaryPrimitives.ReadInt16LittleEndian(image.AsSpan((int)offset));

    private static ushort U16(byte[] image, long offset) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)offset));

    private static bool AllZero(byte[] image, long from, long length) => !image.AsSpan((int)from, (int)length).ContainsAnyExcept((byte)0);

    [Fact]
    public void SuperblockHasXv6DefaultLayout()
    {
        byte[] image = DefaultImage();
        Assert.Equal(2000 * B, image.Length);
        Assert.True(AllZero(image, 0, B), "the boot block is zero");

        // magic, size, nblocks, ninodes, nlog, logstart, inodestart, bmapstart. xv6-riscv's
        // mkfs: nlog = 1 header + 30 = 31; inode blocks 200/16+1 = 13; bitmap 2000/8192+1 = 1;
        // so nmeta = 2 + 31 + 13 + 1 = 47 and nblocks = 2000 - 47.
        uint[] expected = [0x10203040, 2000, 1953, 200, 31, 2, 33, 46];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], U32(image, B + 4 * i));
        // Then Osprey's shutdown record ("OSPY", clean), which xv6 does not read; zeros after it.
        Assert.Equal(0x5950534fu, U32(image, B + 32));
        Assert.Equal(2u, U32(image, B + 36));
        Assert.True(AllZero(image, B + 40, B - 40));
        Assert.True(AllZero(image, 2 * B, 31 * B), "the log is zeroed");
    }

    [Fact]
    public void RootInodeFileInodeAndDeviceInodeAreLaidOutAsDinodes()
    {
        byte[] image = DefaultImage();
        const int inodes = 33 * B;
        Assert.True(AllZero(image, inodes, 64), "inode 0 is never used");

        // Inode 1, the root: T_DIR, nlink 1, four entries (., .., README, console), first data block 47.
        long root = inodes + 64;
        Assert.Equal(1, S16(image, root));
        Assert.Equal(0, S16(image, root + 2));
        Assert.Equal(0, S16(image, root + 4));
        Assert.Equal(1, S16(image, root + 6));
        Assert.Equal(4u * 16, U32(image, root + 8));
        Assert.Equal(47u, U32(image, root + 12));
        Assert.True(AllZero(image, root + 16, 48));

        // Inode 2, README: T_FILE, 1..2 KiB in blocks 48 and 49.
        long readme = inodes + 2 * 64;
        Assert.Equal(2, S16(image, readme));
        Assert.Equal(1, S16(image, readme + 6));
        Assert.Equal((uint)SampleTree.Files["README"].Length, U32(image, readme + 8));
        Assert.Equal(48u, U32(image, readme + 12));
        Assert.Equal(49u, U32(image, readme + 16));
        Assert.True(AllZero(image, readme + 20, 44));

        // Inode 3, the console: T_DEVICE major 1 minor 0, no blocks.
        long console = inodes + 3 * 64;
        Assert.Equal(3, S16(image, console));
        Assert.Equal(1, S16(image, console + 2));
        Assert.Equal(0, S16(image, console + 4));
        Assert.Equal(1, S16(image, console + 6));
        Assert.True(AllZero(image, console + 8, 56));

        Assert.True(AllZero(image, inodes + 4 * 64, 13 * B - 4 * 64), "inodes 4..199 are free");
        Assert.Equal(SampleTree.Files["README"], image.AsSpan(48 * B, SampleTree.Files["README"].Length).ToArray());
    }

    [Fact]
    public void RootDirectoryHoldsDotDotDotAndTheFilesAsNulPaddedEntries()
    {
        byte[] image = DefaultImage();
        const int dir = 47 * B;
        (ushort, string)[] expected = [(1, "."), (1, ".."), (2, "README"), (3, "console")];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Item1, U16(image, dir + 16 * i));
            byte[] name = new byte[14];
            Encoding.ASCII.GetBytes(expected[i].Item2).CopyTo(name, 0);
            Assert.Equal(name, image.AsSpan(dir + 16 * i + 2, 14).ToArray());
        }
        Assert.True(AllZero(image, dir + 64, B - 64));
    }

    [Fact]
    public void BitmapMarksExactlyTheBlocksInUseMetadataIncluded()
    {
        byte[] image = DefaultImage();
        // Blocks 0..46 are metadata, 47 the root directory, 48..49 README: bits 0..49 are set,
        // bit b being bit b%8 of byte b/8 of the bitmap block (46).
        const int bitmap = 46 * B;
        for (int b = 0; b < 2000; b++)
        {
            bool set = (image[bitmap + b / 8] & (1 << (b % 8))) != 0;
            Assert.True(set == b < 50, $"block {b} is {(set ? "" : "not ")}marked in use");
        }
        Assert.Equal(0xff, image[bitmap]);
        Assert.Equal(0x03, image[bitmap + 6]);
        Assert.True(AllZero(image, bitmap + 7, B - 7));
        Assert.True(AllZero(image, 50 * B, (2000 - 50) * B), "unused blocks are zero");
    }

    [Fact]
    public void AFourteenByteNameIsStoredWithoutATerminator()
    {
        var builder = new ImageBuilder();
        builder.AddFile(SampleTree.FourteenByteName, [1, 2, 3]);
        byte[] image = builder.Build();
        long entry = 47 * B + 2 * 16;
        Assert.Equal(2, U16(image, entry));
        Assert.Equal(Encoding.ASCII.GetBytes(SampleTree.FourteenByteName), image.AsSpan((int)entry + 2, 14).ToArray());
    }

    [Fact]
    public void ALargeFileUsesTwelveDirectBlocksThenItsIndirectBlockThenTheRest()
    {
        var builder = new ImageBuilder();
        builder.AddFile("indirect", SampleTree.Files["indirect"]); // 12 blocks + 7 bytes
        byte[] image = builder.Build();
        long inode = 33 * B + 2 * 64;
        Assert.Equal((uint)SampleTree.Files["indirect"].Length, U32(image, inode + 8));
        for (int i = 0; i < 12; i++)
            Assert.Equal(48u + (uint)i, U32(image, inode + 12 + 4 * i));
        uint indirect = U32(image, inode + 12 + 4 * 12);
        Assert.Equal(60u, indirect);
        Assert.Equal(61u, U32(image, indirect * B));
        Assert.True(AllZero(image, indirect * B + 4, B - 4));
        Assert.Equal(SampleTree.Files["indirect"][(12 * B)..], image.AsSpan(61 * B, 7).ToArray());
        var reader = new ImageReader(image);
        Assert.True(reader.IsAllocated(61));
        Assert.False(reader.IsAllocated(62));
    }

    [Fact]
    public void NestedDirectoriesHaveDotDotAndXv6LinkCounts()
    {
        var reader = new ImageReader(SampleTree.Build());
        uint a = SampleTree.InumOf("a"), b = SampleTree.InumOf("a/b");
        Assert.Equal(a, reader.Lookup("/a"));
        List<DirectoryEntry> entries = reader.ListDirectory("a/b");
        Assert.Equal([".", "..", "c", "middle"], entries.Select(e => e.NameText));
        Assert.Equal([b, a], entries.Take(2).Select(e => (uint)e.Inum));
        // xv6 counts a directory's entry in its parent and each subdirectory's "..", not its ".".
        Assert.Equal(2, reader.ReadInode(a).Nlink);
        Assert.Equal(2, reader.ReadInode(b).Nlink);
        Assert.Equal(1, reader.ReadInode(SampleTree.InumOf("a/b/c")).Nlink);
        Assert.Equal(3, reader.ReadInode(FsLayout.RootInode).Nlink); // a and empty-dir
        Assert.Equal(1, reader.ReadInode(SampleTree.InumOf("README")).Nlink);
    }

    [Fact]
    public void ReaderReadsBackEveryFileOfTheSampleTree()
    {
        var reader = new ImageReader(SampleTree.Build());
        foreach ((string path, byte[] contents) in SampleTree.Files)
            Assert.Equal(contents, reader.ReadFile(path));
        Assert.Null(reader.Lookup("a/nothing"));
        Assert.Null(reader.Lookup("README/x"));
        Assert.Equal(FsLayout.RootInode, reader.Lookup("/"));
        Assert.Throws<FileNotFoundException>(() => reader.ReadFile("missing"));
    }

    [Fact]
    public void EveryUsedBlockIsMarkedAndNoOtherInTheSampleTree()
    {
        byte[] image = SampleTree.Build();
        var reader = new ImageReader(image);
        var used = new HashSet<uint>();
        for (uint b = 0; b < reader.Superblock.BitmapStart + 1; b++)
            used.Add(b);
        for (uint inum = 1; inum < reader.Superblock.Inodes; inum++)
        {
            DiskInode d = reader.ReadInode(inum);
            if (d.Type == InodeType.Free)
                continue;
            for (uint fb = 0; fb * B < d.Size; fb++)
                Assert.True(used.Add(reader.BlockOf(d, fb)), $"block of inode {inum} used twice");
            if (d.Addresses[12] != 0)
                Assert.True(used.Add(d.Addresses[12]));
        }
        for (uint b = 0; b < reader.Superblock.Size; b++)
            Assert.Equal(used.Contains(b), reader.IsAllocated(b));
    }

    [Fact]
    public void TheImageGrowsWhenTheFilesDoNotFitAndNoSizeWasGiven()
    {
        var builder = new ImageBuilder();
        for (int i = 0; i < 8; i++)
            builder.AddFile($"big{i}", SampleTree.Files["max"]); // 8 × 269 blocks > 2000
        var reader = new ImageReader(builder.Build());
        Superblock sb = reader.Superblock;
        uint meta = 2 + 31 + 13 + 1;
        Assert.Equal(meta + 1 + 8 * 269, sb.Size); // nothing to spare
        Assert.Equal(sb.Size - meta, sb.DataBlocks);
        Assert.True(reader.IsAllocated(sb.Size - 1));
        Assert.Equal(SampleTree.Files["max"], reader.ReadFile("big7"));
    }

    [Fact]
    public void GivenSizesAreKeptOrRefused()
    {
        var builder = new ImageBuilder { Size = 9000 };
        builder.AddFile("f", [1]);
        var reader = new ImageReader(builder.Build());
        Assert.Equal(9000u, reader.Superblock.Size);
        Assert.Equal(46u, reader.Superblock.BitmapStart);
        Assert.Equal(2u, reader.Superblock.DataStart - reader.Superblock.BitmapStart); // 9000 bits need two blocks
        Assert.Equal(9000u - 48, reader.Superblock.DataBlocks);

        var tight = new ImageBuilder { Size = 2000 };
        for (int i = 0; i < 8; i++)
            tight.AddFile($"big{i}", SampleTree.Files["max"]);
        var error = Assert.Throws<ImageBuildException>(() => tight.Build());
        Assert.Contains("at least 2200 blocks", error.Message);
    }

    [Fact]
    public void InodesGrowWhenNotGivenAndAreRefusedWhenTooFew()
    {
        var builder = new ImageBuilder();
        for (int i = 0; i < 250; i++)
            builder.AddFile($"f{i}", []);
        var reader = new ImageReader(builder.Build());
        Assert.Equal(252u, reader.Superblock.Inodes); // root, 250 files, and the unused inode 0
        Assert.Equal(2u + 31 + 252 / 16 + 1, reader.Superblock.BitmapStart);
        Assert.Equal(251u, reader.Lookup("f249"));

        var few = new ImageBuilder { Inodes = 3 };
        few.AddFile("x", []);
        few.AddFile("y", []);
        Assert.Contains("need 4 inodes", Assert.Throws<ImageBuildException>(() => few.Build()).Message);
    }

    [Theory]
    [InlineData("abcdefghijklmno", "at most 14")]
    [InlineData(".", "cannot be a name")]
    [InlineData("..", "cannot be a name")]
    [InlineData("", "no name")]
    [InlineData("/", "no name")]
    [InlineData("nodir/file", "no directory 'nodir'")]
    [InlineData("README/file", "'README' is not a directory")]
    [InlineData("README", "already an entry named 'README'")]
    public void BadNamesAreRefusedClearly(string path, string message)
    {
        var builder = new ImageBuilder();
        builder.AddFile("README", [1]);
        var error = Assert.Throws<ImageBuildException>(() => builder.AddFile(path, [2]));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheSameNameInTwoDirectoriesIsFineAndUtf8CountsBytes()
    {
        var builder = new ImageBuilder();
        builder.AddDirectory("d");
        builder.AddFile("x", [1]);
        builder.AddFile("d/x", [2]);
        builder.AddFile("ééééééé", [3]); // 14 bytes
        Assert.Throws<ImageBuildException>(() => builder.AddFile("éééééééa", [4]));
        var reader = new ImageReader(builder.Build());
        Assert.Equal([2], reader.ReadFile("/d/x"));
        Assert.Equal([3], reader.ReadFile("ééééééé"));
    }

    [Fact]
    public void FilesLargerThanTheLargestXv6FileAreRefused()
    {
        var builder = new ImageBuilder();
        builder.AddFile("max", new byte[FsLayout.MaxFileSize]);
        var error = Assert.Throws<ImageBuildException>(() => builder.AddFile("over", new byte[FsLayout.MaxFileSize + 1]));
        Assert.Contains("274432", error.Message);
    }

    [Fact]
    public void ReaderRefusesAnImageWithoutTheMagic()
    {
        byte[] image = DefaultImage();
        image[B] ^= 0xff;
        var error = Assert.Throws<InvalidDataException>(() => new ImageReader(image));
        Assert.Contains("magic", error.Message);
    }
}
