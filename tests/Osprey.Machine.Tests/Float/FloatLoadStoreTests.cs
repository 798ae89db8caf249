using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Float.FloatValues;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// flw, fld, fsw, fsd and the compressed c.fld, c.fsd, c.fldsp, c.fsdsp: flw NaN-boxes, fsw
/// stores the low 32 bits whatever the upper ones hold, misaligned and page-crossing accesses
/// are performed as for the integer ones, and a faulting access changes nothing.
/// </summary>
public sealed class FloatLoadStoreTests
{
    private const ulong Data = TestMachine.DataBase + 0x1000;
    private const ulong Code = TestMachine.CodeBase;

    [Fact]
    public void FlwNanBoxesAndFldLoadsAllBits()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 0x4008_0000_3F80_0000);
        m[A0] = Data;
        m.RunToEbreak(Flw(1, A0, 0), Flw(2, A0, 4), Fld(3, A0, 0));
        Assert.Equal(SOne, m.Hart.GetFloatRegister(1));
        Assert.Equal(Box | 0x4008_0000, m.Hart.GetFloatRegister(2));
        Assert.Equal(0x4008_0000_3F80_0000UL, m.Hart.GetFloatRegister(3));
    }

    [Fact]
    public void FswStoresTheLowHalfEvenOfAnUnboxedValue()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, ulong.MaxValue);
        m.Hart.SetFloatRegister(1, 0x1234_5678_9ABC_DEF0);
        m.Hart.SetFloatRegister(2, DSNaNPayload);
        m[A0] = Data;
        m.RunToEbreak(Fsw(A0, 1, 0), Fsd(A0, 2, 8));
        Assert.Equal(0xFFFF_FFFF_9ABC_DEF0UL, m.Memory.Read64(Data));
        Assert.Equal(DSNaNPayload, m.Memory.Read64(Data + 8));
    }

    [Fact]
    public void OffsetsReachBothEnds()
    {
        using var m = new TestMachine();
        m[A0] = Data + 2048;
        m.Hart.SetFloatRegister(31, D(-2));
        m.RunToEbreak(Fsd(A0, 31, -2048), Fsd(A0, 31, 2040), Fld(4, A0, -2048), Flw(5, A0, 2044));
        Assert.Equal(D(-2), m.Memory.Read64(Data));
        Assert.Equal(D(-2), m.Memory.Read64(Data + 4088));
        Assert.Equal(D(-2), m.Hart.GetFloatRegister(4));
        Assert.Equal(Box | (D(-2) >> 32), m.Hart.GetFloatRegister(5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void MisalignedAccessesArePerformed(int offset)
    {
        using var m = new TestMachine();
        m[A0] = Data + (ulong)offset;
        m.Hart.SetFloatRegister(1, 0x0102_0304_0506_0708);
        m.RunToEbreak(Fsd(A0, 1, 0), Fld(2, A0, 0), Flw(3, A0, 2), Fsw(A0, 1, 8));
        Assert.Equal(0x0102_0304_0506_0708UL, m.Memory.Read64(Data + (ulong)offset));
        Assert.Equal(0x0102_0304_0506_0708UL, m.Hart.GetFloatRegister(2));
        Assert.Equal(Box | 0x0304_0506, m.Hart.GetFloatRegister(3));
        Assert.Equal(0x0506_0708u, m.Memory.Read32(Data + (ulong)offset + 8));
    }

    [Fact]
    public void CompressedFormsMoveDoubles()
    {
        using var m = new TestMachine();
        m[S0] = Data;
        m[Sp] = Data + 0x800;
        m.Hart.SetFloatRegister(9, D(1.25));
        m.Hart.SetFloatRegister(0, D(-7));
        ulong end = m.Place16(Code, CFsd(S0, 9, 248), CFld(15, S0, 248), CFsdsp(0, 504), CFldsp(31, 504), CFldsp(0, 0));
        m.Memory.Write64(Data + 0x800, D(3));
        m.Place(end, Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), end);
        Assert.Equal(D(1.25), m.Memory.Read64(Data + 248));
        Assert.Equal(D(1.25), m.Hart.GetFloatRegister(15));
        Assert.Equal(D(-7), m.Memory.Read64(Data + 0x800 + 504));
        Assert.Equal(D(-7), m.Hart.GetFloatRegister(31));
        Assert.Equal(D(3), m.Hart.GetFloatRegister(0));
        Assert.Equal(5UL, m.Hart.Instret);
    }

    private const ulong Page = 0x20_0000, Frame = TestMachine.DataBase + 0x4000;
    private const ulong UserRwx = Pte.V | Pte.R | Pte.W | Pte.X | Pte.U | Pte.A | Pte.D;

    [Fact]
    public void AFaultingLoadLeavesTheRegisterAndReportsTheAddress()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(Code, Code, UserRwx);
        m.Map(Page, Frame, UserRwx);
        m.Hart.SetFloatRegister(1, 0xAAAA);
        m[A0] = Page + 0xFFC; // the next page is unmapped: a misaligned fld straddles into it
        m.Place(Code, Fld(1, A0, 0), Ebreak());
        Assert.Equal(new Trap(TrapCause.LoadPageFault, Code, Page + 0x1000), m.Run(Code));
        Assert.Equal(0xAAAAUL, m.Hart.GetFloatRegister(1));
        m.Place(Code, Flw(1, A0, 4), Ebreak());
        m.Hart.FlushCodeCache();
        Assert.Equal(new Trap(TrapCause.LoadPageFault, Code, Page + 0x1000), m.Run(Code));
        Assert.Equal(0xAAAAUL, m.Hart.GetFloatRegister(1));
    }

    [Fact]
    public void AStoreToAReadOnlyPageFaultsAndWritesNothing()
    {
        using var m = new TestMachine();
        m.EnableSv39();
        m.Map(Code, Code, UserRwx);
        m.Map(Page, Frame, Pte.V | Pte.R | Pte.U | Pte.A);
        m.Memory.Write64(Frame + 8, 0x1111);
        m.Hart.SetFloatRegister(1, D(9));
        m[A0] = Page;
        m.Place(Code, Fsd(A0, 1, 8), Ebreak());
        Assert.Equal(new Trap(TrapCause.StorePageFault, Code, Page + 8), m.Run(Code));
        Assert.Equal(0x1111UL, m.Memory.Read64(Frame + 8));
        m.Place16(Code, CFsdsp(1, 8));
        m.Place(Code + 2, Ebreak());
        m.Hart.FlushCodeCache();
        m[Sp] = Page;
        Assert.Equal(new Trap(TrapCause.StorePageFault, Code, Page + 8), m.Run(Code));
    }
}
