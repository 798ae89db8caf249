namespace Osprey.Kernel.Kkv;

/// <summary>
/// One key of the store: a pair (a value of <see cref="Size"/> bytes in guest memory at
/// <see cref="Value"/>; a zero-length value has no buffer) or, while <see cref="HasValue"/> is
/// false, a placeholder that blocked getters wait on. <see cref="Slot"/> is the entry's own
/// object in guest memory (the <c>kkv_entry</c> cache), so entries count against memory as
/// values do.
///
/// Every field but <see cref="Key"/> and <see cref="Slot"/> is protected by the lock of the
/// bucket the key hashes to. A placeholder stays in its bucket while it has waiters; the last
/// waiter to leave takes it out (or, once <see cref="Dead"/>, frees it).
/// </summary>
internal sealed class KkvEntry(uint key, ulong slot)
{
    public uint Key { get; } = key;

    public ulong Slot { get; } = slot;

    /// <summary>The value's buffer (0 for a zero-length value or no value).</summary>
    public ulong Value { get; set; }

    public int Size { get; set; }

    /// <summary>Whether a value is stored: a zero-length value is a value, "none yet" is not.</summary>
    public bool HasValue { get; set; }

    /// <summary>Getters sleeping on this entry for a value.</summary>
    public int Waiters { get; set; }

    /// <summary>kkv_destroy took the entry out of the table while getters waited on it: they return EPERM.</summary>
    public bool Dead { get; set; }

    /// <summary>The next entry in the bucket's list.</summary>
    public KkvEntry? Next { get; set; }
}
