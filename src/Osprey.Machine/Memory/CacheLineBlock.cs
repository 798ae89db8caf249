using System.Runtime.InteropServices;

namespace Osprey.Machine.Memory;

/// <summary>
/// Zeroed native memory that starts on a host cache line and fills whole lines, for the
/// per-hart blocks every instruction touches (the register file, the TLBs, the JIT's state).
/// The harts are made one after another on one thread, so their blocks come from the same
/// malloc arena side by side: with plain malloc the end of one hart's block and the start of
/// the next hart's shared a line whenever they happened to be adjacent, and two harts writing
/// their own registers passed that line between host cores at every trap. Two-CPU runs of a
/// system-call loop came out at one of two speeds, boot to boot, about 1.6x apart.
/// </summary>
public static unsafe class CacheLineBlock
{
    /// <summary>A host cache line (x86-64 and most arm64 hosts).</summary>
    public const int LineBytes = 64;

    /// <summary><paramref name="bytes"/> zeroed bytes, rounded up to whole lines; give it back with <see cref="Free"/>.</summary>
    public static void* Allocate(nuint bytes)
    {
        nuint size = (bytes + LineBytes - 1) / LineBytes * LineBytes;
        void* block = NativeMemory.AlignedAlloc(size, LineBytes);
        NativeMemory.Clear(block, size);
        return block;
    }

    public static void Free(void* block) => NativeMemory.AlignedFree(block);
}
