namespace Osprey.Kernel.Sync;

/// <summary>
/// The kernel's documented lock order (docs/kernel.md, "Locks"), outermost first, as pairs of
/// lock classes: the first may be held while the second is taken, never the other way round.
/// Sleep locks come before every spinlock: a spinlock's holder may not sleep, so no spinlock can
/// be held while a sleep lock is taken (the order once put proc above the inode locks, which
/// lockdep showed false: the reaper allocates a process while it holds the program's inode).
/// Lockdep starts from these edges, so an acquisition against them panics the first time it
/// happens. A "/1" names the nested level of a class (a child directory's inode inside its
/// parent's, a second buffer inside the first).
/// </summary>
public static class LockOrder
{
    /// <summary>The spinlocks a thread may take while it holds sleep locks (and which sleep on the scheduler lock).</summary>
    private static readonly string[] Inner =
        ["proc", "bcache", "bcache.bucket", "itable", "ftable", "kmem", "kmem.cpu", "slab", "log", "cons", "time", "pipe", "statistics"];

    public static IEnumerable<(string Outer, string Inner)> Documented()
    {
        yield return ("inode", "inode/1");
        yield return ("inode", "buffer");
        yield return ("inode/1", "buffer");
        yield return ("buffer", "buffer/1");
        yield return ("bcache", "bcache.bucket");
        yield return ("bcache.bucket", "bcache.bucket/1");
        foreach (string inner in Inner)
        {
            yield return ("buffer", inner);
            yield return ("buffer/1", inner);
            yield return (inner, "sched");
        }
        yield return ("bcache.bucket/1", "sched");
        // copyout, which these call with their lock held, may take a frame for a copy-on-write
        // or zero-fill fault.
        foreach (string caller in new[] { "cons", "pipe", "statistics" })
        {
            yield return (caller, "kmem");
            yield return (caller, "kmem.cpu");
        }

        // Tasks with many threads (docs/kernel.md, "Tasks and threads"): a task's locks under the
        // process table's; its memory mutex over its page table's range locks (in address order,
        // lockdep ordering the first of each run); copies to and from user memory take range
        // locks under proc, cons and pipe locks, and a copy's fault may take a frame or, for want
        // of one, kill the task.
        yield return ("proc", "task");
        yield return ("task", "sched");
        yield return ("files", "ftable");
        yield return ("files", "itable");
        yield return ("files", "sched");
        yield return ("vm", "ptrange");
        foreach (string copier in new[] { "proc", "cons", "pipe", "statistics" })
            yield return (copier, "ptrange");
        foreach (string inner in new[] { "pgroot", "tlb", "task", "kmem", "kmem.cpu", "sched" })
            yield return ("ptrange", inner);
        yield return ("pgroot", "kmem");
        yield return ("pgroot", "kmem.cpu");
        yield return ("pgroot", "sched");
        yield return ("tlb", "sched");
    }
}
