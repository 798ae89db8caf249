using System.Diagnostics;
using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Sync;

/// <summary>
/// Every lock of one machine, by class, with its figures (what Ctrl-L, the statistics device
/// and lockstat print), the clock wait and hold times are measured with, and the lockdep graph.
///
/// A lock registers itself the first time it is taken, from the CPU it is taken on (each CPU
/// knows its machine's registry), with a name and a class; a lock that is never taken has
/// nothing to show. To register a new kind of lock: keep a <see cref="LockStats"/> and a
/// <c>LockEntry?</c> field, call <see cref="Register"/> on the first acquisition, and report
/// acquisitions, waits and holds as <see cref="Spinlock"/> (spinning) or <see cref="SleepLock"/>
/// (sleeping) does; see docs/kernel.md.
///
/// <see cref="_gate"/> (a host monitor: this is the kernel's bookkeeping, not a kernel lock)
/// protects the class table and every class's instance list and retired figures.
/// </summary>
public sealed class LockRegistry
{
    /// <summary>Nesting levels a class may be taken at (0 .. MaxSubclasses-1).</summary>
    public const int MaxSubclasses = 8;

    private readonly object _gate = new();
    private readonly Dictionary<string, LockClass> _classes = new(StringComparer.Ordinal);
    private readonly List<LockClass> _classOrder = new();
    private readonly IReadOnlyList<Hart> _harts;

    /// <param name="harts">The machine's harts, whose retired instructions are the clock of a deterministic run.</param>
    /// <param name="deterministic">Measure wait and hold times in retired instructions instead of host nanoseconds.</param>
    /// <param name="lockdep">Check the lock order on every acquisition.</param>
    public LockRegistry(IReadOnlyList<Hart> harts, bool deterministic = false, bool lockdep = false)
    {
        _harts = harts;
        Deterministic = deterministic;
        if (lockdep)
        {
            Dependencies = new Lockdep();
            foreach ((string outer, string inner) in LockOrder.Documented())
            {
                (LockClass o, int os) = ClassAndLevel(outer);
                (LockClass i, int s) = ClassAndLevel(inner);
                Dependencies.Seed(o, os, i, s);
            }
        }
    }

    public bool Deterministic { get; }

    /// <summary>The lock-order graph, or null when lockdep is off.</summary>
    public Lockdep? Dependencies { get; }

    /// <summary>What <see cref="Now"/> counts in, for reports.</summary>
    public string TimeUnit => Deterministic ? "retired instructions" : "ns";

    /// <summary>
    /// The clock of wait and hold times: host nanoseconds, or in a deterministic run the
    /// instructions the machine's harts have retired (kernel code retires none, so a spinlock
    /// held on one CPU of a deterministic run is held for 0; a sleep lock for the user work done
    /// meanwhile).
    /// </summary>
    public long Now()
    {
        if (!Deterministic)
            return Stopwatch.GetTimestamp();
        long retired = 0;
        for (int i = 0; i < _harts.Count; i++)
            retired += (long)_harts[i].Instret;
        return retired;
    }

    /// <summary>A clock difference in the units reports use: nanoseconds, or instructions.</summary>
    public long ToReportUnits(long elapsed) =>
        Deterministic || Stopwatch.Frequency == 1_000_000_000 ? elapsed : (long)(elapsed * (1e9 / Stopwatch.Frequency));

    /// <summary>The class named <paramref name="name"/>, made if this is the first lock of it.</summary>
    public LockClass Class(string name)
    {
        lock (_gate)
        {
            if (!_classes.TryGetValue(name, out LockClass? found))
            {
                found = new LockClass(name);
                _classes[name] = found;
                _classOrder.Add(found);
            }
            return found;
        }
    }

    /// <summary>
    /// Registers a lock the first time it is taken: sets <paramref name="slot"/> (the lock's own
    /// field) to its entry unless another CPU got there first, and returns the entry.
    /// </summary>
    public LockEntry Register(ref LockEntry? slot, string name, string? className, LockStats stats, LockKind kind)
    {
        LockClass lockClass = Class(className ?? name);
        lock (_gate)
        {
            if (slot != null)
                return slot;
            var entry = new LockEntry(name, lockClass, lockClass.Numbered++, stats, kind);
            lockClass.Instances.Add(entry);
            Volatile.Write(ref slot, entry);
            return entry;
        }
    }

    /// <summary>A lock is going away with its object: its figures stay in its class's sum.</summary>
    public void Retire(LockEntry entry)
    {
        lock (_gate)
        {
            if (entry.IsRetired)
                return;
            entry.IsRetired = true;
            entry.Class.Instances.Remove(entry);
            entry.Class.Retired.Add(entry.Stats);
        }
    }

    /// <summary>The classes, in the order their first locks were registered.</summary>
    public IReadOnlyList<LockClass> Classes()
    {
        lock (_gate)
            return _classOrder.ToArray();
    }

    /// <summary>The live locks of a class, in registration order.</summary>
    public IReadOnlyList<LockEntry> Instances(LockClass lockClass)
    {
        lock (_gate)
            return lockClass.Instances.ToArray();
    }

    /// <summary>Every live lock, class by class.</summary>
    public IReadOnlyList<LockEntry> Entries()
    {
        lock (_gate)
            return _classOrder.SelectMany(c => c.Instances).ToArray();
    }

    /// <summary>A class's figures: its live instances and its retired ones, summed.</summary>
    public LockStats Sum(LockClass lockClass)
    {
        lock (_gate)
        {
            LockStats sum = lockClass.Retired.Snapshot();
            foreach (LockEntry e in lockClass.Instances)
                sum.Add(e.Stats);
            return sum;
        }
    }

    /// <summary>
    /// Figures by lock name, in registration order: locks that share a name (the thirteen
    /// bcache.bucket locks, every buffer's sleep lock) are one row, summed, and a class's retired
    /// locks count under the class's name. What the xv6-style listings print.
    /// </summary>
    public IReadOnlyList<(string Name, LockStats Stats)> ByName()
    {
        lock (_gate)
        {
            var rows = new List<(string Name, LockStats Stats)>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            void Add(string name, LockStats stats)
            {
                if (!index.TryGetValue(name, out int i))
                {
                    index[name] = i = rows.Count;
                    rows.Add((name, new LockStats()));
                }
                rows[i].Stats.Add(stats);
            }
            foreach (LockClass c in _classOrder)
            {
                foreach (LockEntry e in c.Instances)
                    Add(e.Name, e.Stats);
                if (c.Retired.Acquisitions > 0)
                    Add(c.Name, c.Retired);
            }
            return rows;
        }
    }

    /// <summary>Sets every lock's counters, and every class's retired figures, back to zero.</summary>
    public void ResetAll()
    {
        lock (_gate)
        {
            foreach (LockClass c in _classOrder)
            {
                c.Retired.Reset();
                foreach (LockEntry e in c.Instances)
                    e.Stats.Reset();
            }
        }
    }

    /// <summary>"inode/1" is class inode at nesting level 1.</summary>
    private (LockClass, int) ClassAndLevel(string name)
    {
        int slash = name.IndexOf('/');
        return slash < 0 ? (Class(name), 0) : (Class(name[..slash]), int.Parse(name[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
