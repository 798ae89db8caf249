namespace Osprey.Machine.Jit;

/// <summary>
/// One slot of a hart's jump cache, which maps a virtual pc to the translation that runs from
/// it, so that an indirect jump (a return, a call through a pointer) or a jump to another page
/// finds its target without the dispatcher. Keyed by virtual address, it is cleared whenever
/// the hart's TLB is flushed; an entry whose translation has since been invalidated is caught
/// by that translation's own check on entry.
/// </summary>
internal struct JumpEntry
{
    public const int Count = 4096;
    public const ulong Empty = ulong.MaxValue;

    /// <summary>The virtual pc (always even), or <see cref="Empty"/>.</summary>
    public ulong Pc;

    public Translation? Target;

    public static int IndexOf(ulong pc) => (int)(pc >> 1) & (Count - 1);
}
