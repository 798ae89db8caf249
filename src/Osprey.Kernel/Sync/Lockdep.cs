using Osprey.Kernel.Sched;

namespace Osprey.Kernel.Sync;

/// <summary>
/// Lock-order checking (Linux's lockdep, much reduced): a graph over lock classes with an edge
/// A → B for "a lock of class B was taken while one of class A was held". Every acquisition made
/// while other locks are held adds the edges from each of them; the first acquisition whose edge
/// would close a cycle panics, naming both classes, the CPU, the thread and the chain of held
/// locks, because two CPUs taking those locks in the two orders could deadlock. So could taking
/// a second lock of a class already held, unless the taker says it nests (a subclass: the child
/// directory's inode inside its parent's), which is then a class of its own in the graph.
///
/// The graph starts with the documented order (<see cref="LockOrder"/>), so code that breaks
/// it panics the first time, not only once both orders have been seen.
///
/// Only the acquisitions of one context are ordered against each other: an interrupt handler's
/// locks are not ordered after the sleep locks of the thread it interrupted (interrupts are taken
/// only with no spinlock held), as Linux's lockdep keeps hard-interrupt chains apart.
///
/// Edges are read without a lock (a bit, once set, stays set); <see cref="_gate"/>, a host
/// monitor and not a kernel lock, serializes adding nodes and edges and the cycle search.
/// </summary>
public sealed class Lockdep
{
    public const int MaxNodes = 512;
    private const int Words = MaxNodes / 64;

    private readonly ulong[] _edges = new ulong[MaxNodes * Words];
    private readonly string[] _names = new string[MaxNodes];
    private readonly object _gate = new();
    private int _count;

    /// <summary>Graph nodes made so far: one per class and nesting level seen.</summary>
    public int Nodes => Volatile.Read(ref _count);

    /// <summary>Whether B has been taken inside A, for classes named so (nesting level 0).</summary>
    public bool Orders(LockClass outer, LockClass inner) => HasEdge(outer.Node(0, this), inner.Node(0, this));

    internal int NodeFor(LockClass lockClass, int subclass, int[] nodes)
    {
        lock (_gate)
        {
            if (nodes[subclass] >= 0)
                return nodes[subclass];
            if (_count == MaxNodes)
                throw Panic.Now($"lockdep: more than {MaxNodes} lock classes and nesting levels");
            int node = _count;
            _names[node] = subclass == 0 ? lockClass.Name : $"{lockClass.Name}/{subclass}";
            Volatile.Write(ref _count, node + 1);
            Volatile.Write(ref nodes[subclass], node);
            return node;
        }
    }

    /// <summary>Records A → B as if it had been seen; the seeds must not contain a cycle.</summary>
    internal void Seed(LockClass outer, int outerSubclass, LockClass inner, int innerSubclass)
    {
        int from = outer.Node(outerSubclass, this), to = inner.Node(innerSubclass, this);
        lock (_gate)
        {
            if (PathBetween(to, from) != null)
                throw new InvalidOperationException($"the seeded lock order has a cycle through {_names[from]} and {_names[to]}");
            SetEdge(from, to);
        }
    }

    /// <summary>
    /// Checks taking <paramref name="next"/> at nesting level <paramref name="subclass"/> on
    /// <paramref name="cpu"/> against what is held there (and, outside interrupt handlers, what
    /// the thread holds), and records the new order edges. Panics on an inversion.
    /// </summary>
    internal void CheckAcquire(Cpu cpu, LockEntry next, int subclass, HeldLocks? threadHeld)
    {
        int node = next.Class.Node(subclass, this);
        bool inInterrupt = cpu.InInterrupt;
        HeldLocks spinning = cpu.HeldSpinlocks;
        if (next.Kind == LockKind.Sleep && spinning.Count > 0)
            throw Panic.Now($"lockdep: sleep lock {next.Name} taken while holding spinlock {spinning.Items[^1].Entry.Name}, and a spinlock's holder must not sleep; held: {Chain(cpu, threadHeld)}");
        if (!inInterrupt && threadHeld != null)
        {
            foreach (HeldLock held in threadHeld.Items)
                Order(held, node, next, subclass, cpu, threadHeld);
        }
        foreach (HeldLock held in spinning.Items)
        {
            if (held.InInterrupt == inInterrupt)
                Order(held, node, next, subclass, cpu, threadHeld);
        }
    }

    private void Order(HeldLock held, int node, LockEntry next, int subclass, Cpu cpu, HeldLocks? threadHeld)
    {
        if (held.Node == node)
            throw Panic.Now($"lockdep: {next.Name} taken while holding {held.Entry.Name}, of the same class {_names[node]}, without a nesting annotation (a deadlock if another CPU takes the two the other way round); held: {Chain(cpu, threadHeld)}");
        if (HasEdge(held.Node, node))
            return;
        lock (_gate)
        {
            if (HasEdge(held.Node, node))
                return;
            if (PathBetween(node, held.Node) is { } path)
            {
                string cycle = string.Join(" → ", new[] { held.Node }.Concat(path).Select(n => _names[n]));
                throw Panic.Now($"lockdep: lock order inversion: {next.Name}{Nesting(subclass)} taken while holding {held.Entry.Name}, " +
                    $"but the opposite order was seen before; the cycle is {cycle}; held: {Chain(cpu, threadHeld)}");
            }
            SetEdge(held.Node, node);
        }
    }

    private static string Nesting(int subclass) => subclass == 0 ? "" : $" (nested, level {subclass})";

    private static string Chain(Cpu cpu, HeldLocks? threadHeld)
    {
        IEnumerable<string> sleeping = threadHeld == null ? [] : threadHeld.Items.ToArray().Select(h => $"{h.Entry} (sleep lock)");
        IEnumerable<string> spinning = cpu.HeldSpinlocks.Items.ToArray().Select(h => h.Entry.ToString());
        string all = string.Join(", ", sleeping.Concat(spinning));
        return all.Length == 0 ? "nothing" : all;
    }

    private bool HasEdge(int from, int to) => (Volatile.Read(ref _edges[from * Words + to / 64]) & (1UL << (to % 64))) != 0;

    private void SetEdge(int from, int to) => Interlocked.Or(ref _edges[from * Words + to / 64], 1UL << (to % 64));

    /// <summary>Caller holds _gate. The nodes of a shortest path from → ... → to, both ends included, or null.</summary>
    private List<int>? PathBetween(int from, int to)
    {
        int count = _count;
        var previous = new int[count];
        Array.Fill(previous, -1);
        var queue = new Queue<int>();
        queue.Enqueue(from);
        previous[from] = from;
        while (queue.Count > 0)
        {
            int n = queue.Dequeue();
            if (n == to)
            {
                var path = new List<int>();
                for (int at = to; at != from; at = previous[at])
                    path.Add(at);
                path.Add(from);
                path.Reverse();
                return path;
            }
            for (int m = 0; m < count; m++)
            {
                if (previous[m] < 0 && HasEdge(n, m))
                {
                    previous[m] = n;
                    queue.Enqueue(m);
                }
            }
        }
        return null;
    }
}
