namespace Osprey.Machine.Jit;

/// <summary>
/// One translated region of guest code: the code of one physical frame reachable from an entry
/// offset, compiled into one dynamic method. It is keyed by the physical frame and offset, not
/// by a virtual address, and its code computes every pc from the entry pc it is called with,
/// so the same frame mapped at two virtual addresses, or in two address spaces, runs the same
/// translation correctly.
/// </summary>
internal sealed class Translation(FrameCode frame, int entryOffset, int chainSlots, int instructions)
{
    public FrameCode Frame { get; } = frame;

    /// <summary>The entry's offset within its page.</summary>
    public int EntryOffset { get; } = entryOffset;

    /// <summary>Guest instructions translated.</summary>
    public int Instructions { get; } = instructions;

    /// <summary>
    /// Cleared when the frame's code changes; translated code checks it on every entry, so a
    /// chained jump, or a hart's jump cache, that still leads here turns back to the dispatcher.
    /// A field, not a property, because generated code reads it.
    /// </summary>
    public bool Valid;

    /// <summary>
    /// The code each direct jump out of the region (to another entry on the same page) chains
    /// to, filled in by the dispatcher the first time the jump is taken and a translation exists
    /// for its target. Both ends are on one frame, so they are invalidated together.
    /// </summary>
    public readonly BlockCode?[] Chain = new BlockCode?[chainSlots];

    /// <summary>The compiled method; a field because generated code reads it (the jump cache holds translations).</summary>
    public BlockCode Code = null!;
}
