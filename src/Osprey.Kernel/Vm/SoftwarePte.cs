namespace Osprey.Kernel.Vm;

/// <summary>
/// The two bits of an Sv39 PTE that the hardware leaves to software (RSW, bits 8 and 9): why a
/// user page that looks read-only to the MMU is really the process's to write. Both pages have
/// W clear, so the first store faults and the fault handler (PageFaults) finishes the job. At
/// most one of them is set, and only on a valid user leaf.
///
///   Cow   private memory whose frame fork shared: a store copies the frame, or, when this
///         entry holds its only reference, just sets W again
///   Zero  promised memory not yet touched: the entry maps the one system-wide zero frame and a
///         frame is reserved for it; a store takes that frame and sets W
///
/// A page of the lazy heap (--lazy-sbrk) not touched yet has no entry at all: what marks it is
/// its address, below the break and above the program. Text and read-only data have neither
/// bit, so a store to them still kills.
/// </summary>
public static class SoftwarePte
{
    public const ulong Cow = 1UL << 8;
    public const ulong Zero = 1UL << 9;
}
