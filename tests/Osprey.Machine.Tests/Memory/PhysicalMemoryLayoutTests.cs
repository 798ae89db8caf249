using Osprey.Machine.Memory;

namespace Osprey.Machine.Tests.Memory;

/// <summary>
/// Guest RAM lies on host pages: a guest page is one host page and a guest cache line one host
/// line, so padding a structure to a guest line (slab objects, per-CPU data) separates it on the
/// host too, and a guest TLB entry needs one host TLB entry, not two.
/// </summary>
public sealed unsafe class PhysicalMemoryLayoutTests
{
    [Theory]
    [InlineData(4096UL)]
    [InlineData(1UL << 20)]
    [InlineData(PhysicalMemory.DefaultSize)]
    public void EveryGuestPageIsOneHostPage(ulong size)
    {
        using var memory = new PhysicalMemory(size);
        Assert.Equal(0UL, (ulong)memory.Pointer(PhysicalMemory.Base) % PhysicalMemory.PageSize);
        Assert.Equal(0UL, (ulong)memory.Pointer(memory.End - PhysicalMemory.PageSize) % PhysicalMemory.PageSize);
    }

    [Fact]
    public void RamStartsZeroedAndKeepsWhatIsWrittenAtBothEnds()
    {
        using var memory = new PhysicalMemory(1UL << 20);
        Assert.Equal(0UL, memory.Read64(PhysicalMemory.Base));
        Assert.Equal(0UL, memory.Read64(memory.End - 8));
        memory.Write64(PhysicalMemory.Base, 0x1122_3344_5566_7788);
        memory.Write64(memory.End - 8, 0x99AA_BBCC_DDEE_FF00);
        Assert.Equal(0x1122_3344_5566_7788UL, memory.Read64(PhysicalMemory.Base));
        Assert.Equal(0x99AA_BBCC_DDEE_FF00UL, memory.Read64(memory.End - 8));
    }
}
