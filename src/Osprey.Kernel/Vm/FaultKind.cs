namespace Osprey.Kernel.Vm;

/// <summary>How a user page fault ended, for the counters (vmstat).</summary>
public enum FaultKind
{
    /// <summary>A store to a copy-on-write page whose frame was shared: the page was copied.</summary>
    CowCopy,

    /// <summary>A store to a copy-on-write page whose frame this mapping alone held: made writable again.</summary>
    CowReuse,

    /// <summary>A store to a promised page: it got its reserved frame, zeroed.</summary>
    ZeroFill,

    /// <summary>A first touch of the lazy heap (--lazy-sbrk): a frame on a store, the zero frame on a load.</summary>
    LazyHeap,

    /// <summary>A fault at an address that is not the process's to touch so: the process was killed.</summary>
    Killed,

    /// <summary>A fault that needed a frame when there was none: the process was killed (also counted as Killed).</summary>
    OutOfMemory,
}
