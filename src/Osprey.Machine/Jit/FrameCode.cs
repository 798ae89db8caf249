namespace Osprey.Machine.Jit;

/// <summary>
/// What the code cache knows about one physical frame: the translations that start in it (one
/// slot per halfword offset), how often each untranslated offset has been entered, and a copy
/// of the frame's bytes as they were when its translations were made, against which the code
/// is checked on fence.i and after the host writes to the frame.
/// </summary>
internal sealed class FrameCode(int frame)
{
    public const int Slots = Memory.PhysicalMemory.PageSize / 2;

    /// <summary>The heat an offset gets when it cannot be translated, so it is not tried again soon.</summary>
    public const short Declined = short.MinValue;

    /// <summary>The heat of an offset waiting for the background compiler, so it is not asked for twice.</summary>
    public const short Queued = short.MinValue;

    public int Frame { get; } = frame;

    /// <summary>Translations by entry offset / 2; read without the cache lock, written under it.</summary>
    public readonly Translation?[] Entries = new Translation?[Slots];

    /// <summary>Entries counted per offset / 2 until the threshold; racy between harts on purpose (it is a heuristic).</summary>
    public readonly short[] Heat = new short[Slots];

    public readonly List<Translation> Live = new();

    /// <summary>The frame's bytes when its first live translation was made; null while it has none.</summary>
    public byte[]? Snapshot;

    /// <summary><see cref="Memory.PhysicalMemory.CodeWrites"/> for this frame when it was last checked.</summary>
    public uint WriteVersion;
}
