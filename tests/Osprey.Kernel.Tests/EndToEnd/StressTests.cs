using System.Text.RegularExpressions;
using Osprey.Fsck;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>
/// The file-system stress programs on 1 and 3 CPUs: linkrace (issue 8's minimal reproducer of
/// the inode leak) and grindfs (processes racing on shared names for a bounded time). Each
/// must pass its own checks; then fsck (run by <see cref="KernelRun"/>) must find the disk
/// clean after a clean shutdown, so a leaked inode or block fails the test, and the inodes and
/// blocks in use must be exactly those of what survives, counted from the tree.
/// </summary>
public partial class StressTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LinkraceLeavesTheDiskAsItFoundIt(int cpus)
    {
        RunResult r = KernelRun.Program(cpus, "linkrace", "10", "200");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("linkrace: ok", r.Output);
        FsckReport original = OriginalImage();
        Assert.Equal(original.InodesUsed, r.Fsck!.InodesUsed);
        Assert.Equal(original.BlocksUsed, r.Fsck.BlocksUsed);
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(3, 12)]
    public void GrindfsLeavesExactlyWhatSurvives(int cpus, int seed)
    {
        // At most 3 seconds or 15000 calls a process, whichever comes first.
        byte[]? image = null;
        RunResult r = ProgramKeepingImage(cpus, bytes => image = bytes, "grindfs", "3", "4", seed.ToString(), "15000");
        Assert.True(r.Status == 0, r.ToString());
        Assert.Contains("grindfs: ok", r.Output);
        FsckReport report = r.Fsck!;
        Assert.Equal(FileSystemState.Clean, report.State);
        Assert.Empty(report.Warnings);

        (int inodes, int blocks) = Reachable(new ImageReader(image!), out int underGrind);
        Assert.Equal(int.Parse(Survivors().Match(r.Output).Groups[1].Value), underGrind);
        Assert.Equal(inodes, report.InodesUsed);
        Assert.Equal(blocks, report.BlocksUsed);
    }

    [GeneratedRegex(@"(\d+) inodes survive in /grind")]
    private static partial Regex Survivors();

    private static FsckReport OriginalImage() => FileSystemChecker.Check(File.ReadAllBytes(DefaultImage.Path));

    /// <summary>Runs a program on a copy of the default image and hands over the image's bytes afterwards.</summary>
    private static RunResult ProgramKeepingImage(int cpus, Action<byte[]> keep, string program, params string[] args)
    {
        using TemporaryFile image = DefaultImage.Copy()!;
        RunResult r = KernelRun.Execute(new KernelOptions { Cpus = cpus, DiskImage = image.Path }, null, program,
            kernel => kernel.Run(program, [program, .. args]));
        keep(File.ReadAllBytes(image.Path));
        return r;
    }

    /// <summary>
    /// The inodes reachable from the root and the blocks they use plus the metadata (what the
    /// bitmap must mark), and how many of those inodes lie under /grind.
    /// </summary>
    private static (int Inodes, int Blocks) Reachable(ImageReader reader, out int underGrind)
    {
        var inodes = new HashSet<uint>();
        var blocks = new HashSet<uint>();
        uint? grind = reader.Lookup("/grind");
        underGrind = 0;
        var pending = new Stack<(uint Inum, bool InGrind)>();
        pending.Push((FsLayout.RootInode, false));
        while (pending.TryPop(out var next))
        {
            if (!inodes.Add(next.Inum))
                continue;
            underGrind += next.InGrind ? 1 : 0;
            DiskInode d = reader.ReadInode(next.Inum);
            for (uint fileBlock = 0; fileBlock < FsLayout.MaxFileBlocks; fileBlock++)
            {
                if (reader.BlockOf(d, fileBlock) is var b and not 0)
                    blocks.Add(b);
            }
            if (d.Addresses[DiskInode.IndirectSlot] != 0)
                blocks.Add(d.Addresses[DiskInode.IndirectSlot]);
            if (d.Type != InodeType.Directory)
                continue;
            foreach (DirectoryEntry e in reader.ListDirectory(next.Inum))
            {
                if (!e.IsFree && e.NameText is not ("." or ".."))
                    pending.Push((e.Inum, next.InGrind || next.Inum == grind));
            }
        }
        return (inodes.Count, (int)reader.Superblock.DataStart + blocks.Count);
    }
}
