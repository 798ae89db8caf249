using Osprey.Kernel.Fs;

namespace Osprey.Fsck;

/// <summary>
/// What <see cref="FileSystemChecker"/> found in one image: problems (the file system is not
/// consistent), warnings (allowed states that need the kernel's attention, such as orphans
/// after a crash),
/// notes (what the check did first, such as replaying the log), and the image's figures.
/// </summary>
public sealed class FsckReport
{
    private readonly List<string> _notes = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Notes => _notes;
    public IReadOnlyList<string> Problems => _problems;
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>What the superblock's shutdown record says; on a Clean image an orphan is a leak.</summary>
    public FileSystemState State { get; internal set; }

    /// <summary>Blocks of a committed transaction found in the log and applied before checking.</summary>
    public int ReplayedLogBlocks { get; internal set; }

    public int Files { get; internal set; }
    public int Directories { get; internal set; }
    public int Devices { get; internal set; }
    public int InodesUsed { get; internal set; }
    public int InodeSlots { get; internal set; }
    public int BlocksUsed { get; internal set; }

    /// <summary>Of those, the blocks directories hold (their entries and indirect blocks): xv6 directories never shrink, so these may grow for good.</summary>
    public int DirectoryBlocks { get; internal set; }
    public int Blocks { get; internal set; }

    /// <summary>No problems (warnings allowed).</summary>
    public bool Clean => _problems.Count == 0;

    internal void Note(string line) => _notes.Add(line);
    internal void Problem(string line) => _problems.Add(line);
    internal void Warning(string line) => _warnings.Add(line);

    /// <summary>Everything to print for the image called <paramref name="name"/>: one line per finding, then the summary.</summary>
    public IEnumerable<string> Lines(string name)
    {
        foreach (string n in _notes)
            yield return n;
        foreach (string p in _problems)
            yield return p;
        foreach (string w in _warnings)
            yield return $"warning: {w}";
        yield return Summary(name);
    }

    /// <summary>"IMAGE: clean: 42 files, ..." or "IMAGE: 3 problems".</summary>
    public string Summary(string name)
    {
        string warnings = _warnings.Count == 0 ? "" : $", {Plural(_warnings.Count, "warning")}";
        if (!Clean)
            return $"{name}: {Plural(_problems.Count, "problem")}{warnings}";
        string devices = Devices == 0 ? "" : $", {Plural(Devices, "device")}";
        return $"{name}: clean{(warnings.Length == 0 ? "" : $" ({Plural(_warnings.Count, "warning")})")}: "
            + $"{Plural(Files, "file")}, {Plural(Directories, "directory", "directories")}{devices}, "
            + $"{BlocksUsed}/{Blocks} blocks used, {InodesUsed}/{InodeSlots} inodes used";
    }

    private static string Plural(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";
}
