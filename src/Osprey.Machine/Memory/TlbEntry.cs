using System.Runtime.InteropServices;

namespace Osprey.Machine.Memory;

/// <summary>
/// One software-TLB slot. <see cref="Tag"/> is the virtual page base (low 12 bits zero; all
/// ones when empty) and <see cref="Addend"/> turns a virtual address in that page into a host
/// pointer: host = va + Addend. The interpreter compares the tag with the address masked to keep
/// its low alignment bits, so one compare checks page, validity and natural alignment at once.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TlbEntry
{
    public const ulong Empty = ulong.MaxValue;

    public ulong Tag;
    public long Addend;
}
