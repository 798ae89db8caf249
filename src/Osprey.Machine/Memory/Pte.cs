namespace Osprey.Machine.Memory;

/// <summary>Sv39 page-table entry bits, as the privileged specification defines them.</summary>
public static class Pte
{
    public const ulong V = 1 << 0;
    public const ulong R = 1 << 1;
    public const ulong W = 1 << 2;
    public const ulong X = 1 << 3;
    public const ulong U = 1 << 4;
    public const ulong G = 1 << 5;
    public const ulong A = 1 << 6;
    public const ulong D = 1 << 7;

    /// <summary>Bits 63..54: N, PBMT and reserved bits. Osprey implements neither Svnapot nor Svpbmt, so any of them set is a page fault.</summary>
    public const ulong ReservedMask = 0x3FFUL << 54;

    public const int PpnShift = 10;
    public const ulong PpnMask = (1UL << 44) - 1;

    /// <summary>The physical address a PTE points at (next table or leaf frame).</summary>
    public static ulong Address(ulong pte) => ((pte >> PpnShift) & PpnMask) << 12;

    /// <summary>A PTE pointing at the physical page containing <paramref name="physicalAddress"/>.</summary>
    public static ulong Make(ulong physicalAddress, ulong flags) => ((physicalAddress >> 12) << PpnShift) | flags;
}
