namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// The operations the crash sweeps run: lists of operations, each operation one transaction
/// (see user/crashwork.c), so that a crash leaves each list's names as after K or K+1 of its
/// operations. Lists that run at once work on separate names. At most 31 arguments in all
/// (exec takes 32), counting the "|" between lists.
/// </summary>
internal static class CrashWorkloads
{
    /// <summary>
    /// Everything the write side does: directories in directories; a file grown a transaction
    /// at a time through the 12 direct blocks into the indirect block; a rename by link and
    /// unlink into another directory; a truncation that frees the indirect block; a second
    /// name kept while the first goes; a file unlinked while open (an orphan); rmdir.
    /// </summary>
    public static readonly CrashOp[][] Full =
    [[
        new("mkdir c"),
        new("mkdir c/d"),
        new("create c/a"),
        new("append c/a 3000 1"),
        new("append c/a 3072 2"),
        new("append c/a 3072 3"),
        new("append c/a 3072 4"),
        new("append c/a 1000 5"),
        new("create c/d/b"),
        new("append c/d/b 700 6"),
        new("link c/a c/d/a2"),
        new("unlink c/a"),
        new("trunc c/d/a2"),
        new("append c/d/a2 100 7"),
        new("mkdir c/e"),
        new("link c/d/b c/e/b"),
        new("unlink c/d/b"),
        new("create c/o"),
        new("append c/o 2000 8"),
        new("orphan c/o 1000 9"),
        new("unlink c/e/b"),
        new("unlink c/e"),
        new("mkdir c/d/f"),
        new("create c/d/f/g"),
        new("append c/d/f/g 50 10"),
    ]];

    /// <summary>
    /// Two processes at once, on several CPUs, so that their operations overlap and now and then
    /// share a commit (group commit): both change the root directory, then work in directories
    /// of their own.
    /// </summary>
    public static readonly CrashOp[][] TwoAtOnce =
    [
        [
            new("mkdir p"),
            new("create p/a"),
            new("append p/a 3072 11"),
            new("append p/a 3072 12"),
            new("link p/a p/b"),
            new("unlink p/a"),
            new("trunc p/b"),
            new("append p/b 10 13"),
            new("unlink p/b"),
            new("unlink p"),
        ],
        [
            new("mkdir q"),
            new("mkdir q/r"),
            new("create q/r/x"),
            new("append q/r/x 2500 14"),
            new("create q/y"),
            new("append q/y 1024 15"),
            new("orphan q/r/x 500 16"),
            new("unlink q/r"),
            new("append q/y 3000 17"),
        ],
    ];
}
