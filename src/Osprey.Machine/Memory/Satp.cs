namespace Osprey.Machine.Memory;

/// <summary>Fields of the satp register: MODE in bits 63..60, ASID in 59..44, root PPN in 43..0.</summary>
public static class Satp
{
    public const ulong ModeBare = 0;
    public const ulong ModeSv39 = 8;

    /// <summary>The satp value for Sv39 translation rooted at the page-table frame at <paramref name="rootPhysicalAddress"/>.</summary>
    public static ulong Sv39(ulong rootPhysicalAddress, ushort asid = 0) =>
        (ModeSv39 << 60) | ((ulong)asid << 44) | ((rootPhysicalAddress >> 12) & Pte.PpnMask);

    public static ulong Mode(ulong satp) => satp >> 60;

    public static ulong RootAddress(ulong satp) => (satp & Pte.PpnMask) << 12;
}
