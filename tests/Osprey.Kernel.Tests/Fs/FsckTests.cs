using System.Buffers.Binary;
using Osprey.Commands;
using Osprey.Fsck;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// osprey fsck: a clean image from mkfs is clean, and each kind of damage, made on purpose one
/// at a time, gives its own problem line; the command's output and exit codes.
/// </summary>
public class FsckTests
{
    private static ImageEditor Sample() => new(SampleTree.Build());

    private static uint Inum(string path) => SampleTree.InumOf(path);

    private static FsckReport Check(ImageEditor image) => FileSystemChecker.Check(image.Bytes);

    private static void AssertProblem(FsckReport report, string expected) =>
        Assert.True(report.Problems.Contains(expected), $"expected the problem \"{expected}\"; got:\n{string.Join("\n", report.Lines("image"))}");

    [Fact]
    public void AnImageFromMkfsIsClean()
    {
        FsckReport report = Check(Sample());
        Assert.True(report.Clean, string.Join("\n", report.Problems));
        Assert.Empty(report.Warnings);
        Assert.Empty(report.Notes);
        Assert.Equal(12, report.Files);
        Assert.Equal(5, report.Directories);
        Assert.Equal(1, report.Devices);
        Assert.Equal(18, report.InodesUsed);
        Assert.Equal(199, report.InodeSlots);
        Assert.Equal(2000, report.Blocks);
        Assert.Matches(@"^img: clean: 12 files, 5 directories, 1 device, \d+/2000 blocks used, 18/199 inodes used$", report.Summary("img"));
    }

    [Fact]
    public void AnEmptyImageFromMkfsIsClean()
    {
        FsckReport report = FileSystemChecker.Check(new ImageBuilder().Build());
        Assert.True(report.Clean, string.Join("\n", report.Problems));
        Assert.Equal(1, report.Directories);
    }

    [Fact]
    public void ABlockUsedByTwoInodes()
    {
        ImageEditor image = Sample();
        uint shared = image.Inode(Inum("block")).Addresses[0];
        uint own = image.Inode(Inum("one")).Addresses[0];
        image.EditInode(Inum("one"), d => d.Addresses[0] = shared);
        FsckReport report = Check(image);
        AssertProblem(report, $"block {shared}: used by inode {Inum("one")} and inode {Inum("block")}");
        AssertProblem(report, $"block {own}: marked in use in the bitmap, but used by no inode (leaked)");
    }

    [Fact]
    public void ABlockUsedTwiceByOneInode()
    {
        ImageEditor image = Sample();
        uint first = image.Inode(Inum("README")).Addresses[0];
        image.EditInode(Inum("README"), d => d.Addresses[1] = first);
        AssertProblem(Check(image), $"block {first}: used twice by inode {Inum("README")}");
    }

    [Fact]
    public void ALeakedBlock()
    {
        ImageEditor image = Sample();
        uint last = image.Superblock.Size - 1;
        Assert.False(image.IsAllocated(last));
        image.SetBitmap(last, true);
        FsckReport report = Check(image);
        Assert.Equal([$"block {last}: marked in use in the bitmap, but used by no inode (leaked)"], report.Problems);
        Assert.Equal("img: 1 problem", report.Summary("img"));
    }

    [Fact]
    public void ARunOfLeakedBlocksIsOneLine()
    {
        ImageEditor image = Sample();
        uint last = image.Superblock.Size - 1;
        for (uint b = last - 9; b <= last; b++)
            image.SetBitmap(b, true);
        Assert.Equal([$"blocks {last - 9}-{last}: marked in use in the bitmap, but used by no inode (leaked)"], Check(image).Problems);
    }

    [Fact]
    public void ABlockInUseButFreeInTheBitmap()
    {
        ImageEditor image = Sample();
        uint used = image.Inode(Inum("a/top")).Addresses[1];
        image.SetBitmap(used, false);
        FsckReport report = Check(image);
        Assert.Equal([$"block {used}: used by inode {Inum("a/top")} (/a/top), but free in the bitmap"], report.Problems);
    }

    [Fact]
    public void MetadataFreeInTheBitmap()
    {
        ImageEditor image = Sample();
        image.SetBitmap(image.Superblock.LogStart, false);
        Assert.Equal([$"block {image.Superblock.LogStart}: a log block, but free in the bitmap"], Check(image).Problems);
    }

    [Fact]
    public void ABlockOutsideTheDataBlocks()
    {
        ImageEditor image = Sample();
        image.EditInode(Inum("one"), d => d.Addresses[0] = 3);
        AssertProblem(Check(image), $"inode {Inum("one")} (/one): file block 0 is block 3, outside the data blocks {image.Superblock.Size - image.Superblock.DataBlocks}..1999");
    }

    [Fact]
    public void AFileWithTheWrongLinkCount()
    {
        ImageEditor image = Sample();
        image.EditInode(Inum("one"), d => d.Nlink = 2);
        Assert.Equal([$"inode {Inum("one")} (/one): nlink is 2, but 1 directory entry names it"], Check(image).Problems);
    }

    [Fact]
    public void ADirectoryWithTheWrongLinkCount()
    {
        ImageEditor image = Sample();
        Assert.Equal(2, image.Inode(Inum("a")).Nlink); // its name and b's ".."
        image.EditInode(Inum("a"), d => d.Nlink = 3);
        image.EditInode(FsLayout.RootInode, d => d.Nlink = 1);
        FsckReport report = Check(image);
        AssertProblem(report, $"inode {Inum("a")} (/a): nlink is 3, but it has 1 name and 1 subdirectory, so 2");
        AssertProblem(report, "inode 1 (/): nlink is 1, but it has 1 name and 2 subdirectories, so 3");
        Assert.Equal(2, report.Problems.Count);
    }

    [Fact]
    public void ADotDotThatIsNotTheParent()
    {
        ImageEditor image = Sample();
        image.SetEntry("a/b", "..", (ushort)FsLayout.RootInode);
        Assert.Equal([$"directory /a/b (inode {Inum("a/b")}): '..' names inode 1, not its parent (inode {Inum("a")})"], Check(image).Problems);
    }

    [Fact]
    public void ADotThatIsNotItself()
    {
        ImageEditor image = Sample();
        image.SetEntry("a", ".", (ushort)Inum("a/b"));
        AssertProblem(Check(image), $"directory /a (inode {Inum("a")}): '.' names inode {Inum("a/b")}, not itself");
    }

    [Fact]
    public void ADirectoryCycle()
    {
        ImageEditor image = Sample();
        image.SetEntry("a/b/c", "deep", (ushort)Inum("a"));
        FsckReport report = Check(image);
        AssertProblem(report, $"directory /a/b/c (inode {Inum("a/b/c")}): entry 'deep' names directory inode {Inum("a")} (/a), which contains it: a cycle");
        // The file that lost its name is reported too, as lost.
        AssertProblem(report, $"inode {Inum("a/b/c/deep")}: a file with nlink 1 that no directory names (lost)");
    }

    [Fact]
    public void ASecondLinkToADirectory()
    {
        ImageEditor image = Sample();
        image.SetEntry("a", "top", (ushort)Inum("empty-dir"));
        AssertProblem(Check(image), $"directory /a (inode {Inum("a")}): entry 'top' names directory inode {Inum("empty-dir")}, already reached as /empty-dir: a second link to a directory");
    }

    [Fact]
    public void AnEntryNamingAFreeInode()
    {
        ImageEditor image = Sample();
        image.SetEntry("a", "top", 150);
        FsckReport report = Check(image);
        AssertProblem(report, $"directory /a (inode {Inum("a")}): entry 'top' names inode 150, which is free");
    }

    [Fact]
    public void NamesWithControlCharactersStayOnOneLine()
    {
        var builder = new ImageBuilder();
        builder.AddFile("a\nb", [1, 2, 3]);
        var image = new ImageEditor(builder.Build());
        image.SetEntry("/", "a\nb", 150);
        Assert.Contains("directory / (inode 1): entry 'a\\x0ab' names inode 150, which is free", Check(image).Problems);
    }

    [Fact]
    public void AnInodeOfUnknownType()
    {
        ImageEditor image = Sample();
        image.EditInode(Inum("empty"), d => d.Type = (InodeType)7);
        AssertProblem(Check(image), $"inode {Inum("empty")}: unknown type 7 (free is 0, directory 1, file 2, device 3)");
    }

    [Fact]
    public void ASizePastTheBlocksAllocated()
    {
        ImageEditor image = Sample();
        uint second = image.Inode(Inum("README")).Addresses[1];
        image.EditInode(Inum("README"), d => d.Size = 1000);
        Assert.Equal([$"inode {Inum("README")} (/README): block {second} holds file block 1, past the end of the file (size 1000 needs 1 block)"], Check(image).Problems);
    }

    [Fact]
    public void AnIndirectBlockTheSizeDoesNotNeed()
    {
        ImageEditor image = Sample();
        uint indirect = image.Inode(Inum("indirect")).Addresses[DiskInode.IndirectSlot];
        image.EditInode(Inum("indirect"), d => d.Size = 12 * 1024);
        AssertProblem(Check(image), $"inode {Inum("indirect")} (/indirect): has indirect block {indirect}, but its size 12288 needs only 12 blocks");
    }

    [Fact]
    public void SizesBeyondTheLargestFileAndBrokenDirectories()
    {
        ImageEditor image = Sample();
        image.EditInode(Inum("max"), d => d.Size = (uint)FsLayout.MaxFileSize + 1);
        image.EditInode(Inum("empty-dir"), d => d.Size = 40);
        FsckReport report = Check(image);
        AssertProblem(report, $"inode {Inum("max")} (/max): size {FsLayout.MaxFileSize + 1} is more than the largest file ({FsLayout.MaxFileSize} bytes)");
        AssertProblem(report, $"inode {Inum("empty-dir")} (/empty-dir): a directory of 40 bytes, not a whole number of 16-byte entries");
    }

    [Theory]
    [InlineData(FileSystemState.Mounted)]
    [InlineData(FileSystemState.Unrecorded)]
    public void AnOrphanAfterACrashIsAWarningNotAProblem(FileSystemState state)
    {
        // Still mounted (the machine stopped) or no record (xv6's mkfs): the file may have been
        // open when the machine stopped.
        ImageEditor image = Sample();
        image.SetEntry("/", "one", 0);
        image.EditInode(Inum("one"), d => d.Nlink = 0);
        image.SetState(state);
        FsckReport report = Check(image);
        Assert.True(report.Clean, string.Join("\n", report.Problems));
        Assert.Equal(state, report.State);
        Assert.Equal([$"inode {Inum("one")}: an orphan file (nlink 0, named by no directory: unlinked while open when the machine stopped); the next boot frees it"], report.Warnings);
        Assert.StartsWith("img: clean (1 warning): 12 files", report.Summary("img")); // allocated until the next boot frees it
    }

    [Fact]
    public void AnOrphanOnACleanlyShutDownImageIsALeak()
    {
        ImageEditor image = Sample();
        Assert.Equal(FileSystemState.Clean, Check(image).State); // as mkfs makes it
        image.SetEntry("/", "one", 0);
        image.EditInode(Inum("one"), d => d.Nlink = 0);
        FsckReport report = Check(image);
        AssertProblem(report, $"inode {Inum("one")}: a leaked file (nlink 0, named by no directory, on an image shut down cleanly: nothing held it open)");
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void TheShutdownRecordLeavesXv6sSuperblockAlone()
    {
        byte[] block = new byte[FsLayout.BlockSize];
        var sb = new Superblock { Size = 2000, DataBlocks = 1900, Inodes = 200, LogBlocks = 31, LogStart = 2, InodeStart = 33, BitmapStart = 46 };
        sb.WriteTo(block);
        Assert.Equal(FileSystemState.Unrecorded, ShutdownRecord.Read(block)); // xv6's mkfs leaves the rest zero
        foreach (FileSystemState state in new[] { FileSystemState.Mounted, FileSystemState.Clean })
        {
            ShutdownRecord.Write(block, state);
            Assert.Equal(state, ShutdownRecord.Read(block));
            Assert.Equal(sb, Superblock.Parse(block)); // the 32 bytes xv6 reads are unchanged
        }
    }

    [Fact]
    public void ALostInodeIsAProblem()
    {
        ImageEditor image = Sample();
        image.SetEntry("/", "one", 0);
        Assert.Equal([$"inode {Inum("one")}: a file with nlink 1 that no directory names (lost)"], Check(image).Problems);
    }

    [Fact]
    public void ACommittedLogIsReplayedBeforeChecking()
    {
        // The home block is damaged, but the log holds a committed copy of it as it should be.
        ImageEditor image = Sample();
        Superblock sb = image.Superblock;
        uint home = sb.InodeBlock(Inum("one"));
        image.Block(home).CopyTo(image.Block(sb.LogStart + 1));
        WriteLogHeader(image, home);
        image.EditInode(Inum("one"), d => d.Nlink = 5);

        FsckReport report = Check(image);
        Assert.True(report.Clean, string.Join("\n", report.Problems));
        Assert.Equal(1, report.ReplayedLogBlocks);
        Assert.Equal(["log: a committed transaction of 1 block was replayed before checking, as the kernel does at mount"], report.Notes);
        Assert.Equal(5, image.Inode(Inum("one")).Nlink); // the image itself is not changed
    }

    [Fact]
    public void TheReplayedLogIsWhatIsChecked()
    {
        // The home block is fine, but the committed copy in the log is damaged: after replay it is not.
        ImageEditor image = Sample();
        Superblock sb = image.Superblock;
        uint home = sb.InodeBlock(Inum("one"));
        image.EditInode(Inum("one"), d => d.Nlink = 5);
        image.Block(home).CopyTo(image.Block(sb.LogStart + 1));
        image.EditInode(Inum("one"), d => d.Nlink = 1);
        WriteLogHeader(image, home);
        AssertProblem(Check(image), $"inode {Inum("one")} (/one): nlink is 5, but 1 directory entry names it");
    }

    [Fact]
    public void ALogHeaderThatCannotBeReplayed()
    {
        ImageEditor image = Sample();
        BinaryPrimitives.WriteInt32LittleEndian(image.Block(image.Superblock.LogStart), 999);
        FsckReport report = Check(image);
        Assert.Equal(["log: the header says 999 blocks, but the log holds at most 30; not replayed (the kernel will refuse to mount)"], report.Problems);

        image = Sample();
        WriteLogHeader(image, 1);
        Assert.Equal([$"log: entry 0 names block 1, outside the inode, bitmap and data blocks {image.Superblock.InodeStart}..1999; not replayed (the kernel will refuse to mount)"], Check(image).Problems);
    }

    [Fact]
    public void RandomDamageGivesProblemLinesNeverAnException()
    {
        var random = new Random(410);
        for (int round = 0; round < 300; round++)
        {
            ImageEditor image = Sample();
            Superblock sb = image.Superblock;
            // Damage past the superblock (whose damage is bad input): log, inodes, bitmap, data.
            for (int i = 0; i < 1 + round % 20; i++)
            {
                uint block = (uint)random.Next((int)sb.LogStart, (int)(sb.Size - sb.DataBlocks) + 40);
                image.Block(block)[random.Next(FsLayout.BlockSize)] = (byte)random.Next(256);
            }
            FsckReport report = Check(image);
            Assert.All(report.Lines("img"), line => Assert.DoesNotContain('\n', line));
        }
    }

    [Fact]
    public void NotAnXv6ImageIsBadInput()
    {
        Assert.Throws<InvalidDataException>(() => FileSystemChecker.Check(new byte[4 * FsLayout.BlockSize]));
        Assert.Throws<InvalidDataException>(() => FileSystemChecker.Check(new byte[100]));
    }

    [Fact]
    public void TheCommandExitsZeroOneOrTwo()
    {
        using var clean = new TemporaryFile();
        File.WriteAllBytes(clean.Path, SampleTree.Build());
        (int status, string output, string error) = RunFsck(clean.Path);
        Assert.Equal(0, status);
        Assert.Matches($@"^{clean.Path}: clean: 12 files, 5 directories, 1 device, \d+/2000 blocks used, 18/199 inodes used\n$", output);
        Assert.Equal("", error);

        ImageEditor damaged = Sample();
        damaged.SetBitmap(damaged.Superblock.Size - 1, true);
        damaged.EditInode(Inum("one"), d => d.Nlink = 3);
        using var bad = new TemporaryFile();
        File.WriteAllBytes(bad.Path, damaged.Bytes);
        (status, output, error) = RunFsck(bad.Path);
        Assert.Equal(1, status);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(
            [$"block 1999: marked in use in the bitmap, but used by no inode (leaked)", $"inode {Inum("one")} (/one): nlink is 3, but 1 directory entry names it"],
            lines[..^1].Order());
        Assert.Equal($"{bad.Path}: 2 problems", lines[^1]);
        Assert.Equal("", error);

        (status, output, error) = RunFsck("/nonexistent/osprey.img");
        Assert.Equal(2, status);
        Assert.Equal("", output);
        Assert.Equal("osprey: fsck: /nonexistent/osprey.img: no such file\n", error);

        using var zeros = new TemporaryFile();
        File.WriteAllBytes(zeros.Path, new byte[8 * FsLayout.BlockSize]);
        (status, _, error) = RunFsck(zeros.Path);
        Assert.Equal(2, status);
        Assert.StartsWith($"osprey: fsck: {zeros.Path}: not a usable xv6 file system: bad superblock magic", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    private static (int Status, string Output, string Error) RunFsck(string path)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int status = FsckCommand.Run(path, output, error);
        return (status, output.ToString(), error.ToString());
    }

    private static void WriteLogHeader(ImageEditor image, params uint[] homes)
    {
        Span<byte> header = image.Block(image.Superblock.LogStart);
        BinaryPrimitives.WriteInt32LittleEndian(header, homes.Length);
        for (int i = 0; i < homes.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(header[(4 * (1 + i))..], homes[i]);
    }
}
