using Osprey.Kernel.Mem;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Tests.Support;
using Osprey.Kernel.Trap;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Trap;

/// <summary>
/// The upcall's ureg on a real page table: what Deliver saves and where it points the thread,
/// that Resume gives back exactly what was saved, and that every refused ureg or stack leaves
/// the registers as they were.
/// </summary>
public sealed class UpcallTests : IDisposable
{
    private const ulong Page = PageTable.PageSize;
    private const ulong StackTop = 4 * Page;

    private readonly SchedulerHarness _harness = new(1);
    private readonly PhysicalMemory _memory = new(1 << 20);
    private readonly FrameAllocator _frames;

    public UpcallTests()
    {
        _frames = new FrameAllocator(_memory, VirtualMemory.ZeroFrame + PhysicalMemory.PageSize);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _memory.Dispose();
    }

    /// <summary>Runs <paramref name="body"/> on a kernel thread with a table whose pages 0..3 are writable and 4 read-only.</summary>
    private void WithTable(Action<PageTable> body) => _harness.Run(() =>
    {
        VirtualMemory vm = new(_memory, _frames, copyOnWrite: true, lazySbrk: false);
        PageTable table = PageTable.Create(vm)!;
        Assert.Equal(StackTop, table.Grow(0, StackTop, Pte.W));
        Assert.Equal(StackTop + Page, table.Grow(StackTop, StackTop + Page, 0));
        body(table);
        table.Free(StackTop + Page);
    });

    private static TrapFrame Interrupted()
    {
        TrapFrame frame = new();
        for (int i = 1; i < 32; i++)
            frame[i] = 0x1000UL * (ulong)i + 7;
        for (int i = 0; i < 32; i++)
            frame.SetFloatRegister(i, 0x4000_0000_0000_0000UL + (ulong)i);
        frame.Pc = 0x1234;
        frame.Fcsr = 0x41; // frm 2 (round down), the inexact flag
        return frame;
    }

    [Fact]
    public void DeliverSavesEveryRegisterAndPointsTheThreadAtTheHandler()
    {
        WithTable(table =>
        {
            TrapFrame frame = Interrupted();
            TrapFrame before = new();
            before.CopyFrom(frame);
            ulong ureg = Upcall.Deliver(table, _memory, frame, cause: 15, faultAddress: 0xdead0, handler: 0x800, stackTop: StackTop - 8, returnAddress: 0x900, argument: 42);

            Assert.Equal((StackTop - 8 - Upcall.FrameBytes) & ~15UL, ureg);
            Assert.Equal(0x800UL, frame.Pc);
            Assert.Equal(ureg, frame[TrapFrame.Sp]);
            Assert.Equal(0x900UL, frame[TrapFrame.Ra]);
            Assert.Equal(42UL, frame[TrapFrame.A0]);
            Assert.Equal(ureg, frame[TrapFrame.A1]);
            Assert.Equal(before[4], frame[4]); // tp: the interrupted code's
            Assert.Equal(before[8], frame[8]); // s0

            byte[] saved = new byte[Upcall.FrameBytes];
            Assert.True(table.CopyIn(_memory, saved, ureg));
            Assert.Equal(15UL, BitConverter.ToUInt64(saved, AbiConstantsOf.Cause));
            Assert.Equal(0xdead0UL, BitConverter.ToUInt64(saved, AbiConstantsOf.Addr));
            Assert.Equal(0x1234UL, BitConverter.ToUInt64(saved, AbiConstantsOf.Pc));
            Assert.Equal(before[TrapFrame.Sp], BitConverter.ToUInt64(saved, AbiConstantsOf.X1 + 8));

            Assert.True(Upcall.Resume(table, _memory, frame, ureg));
            AssertSame(before, frame);
        });
    }

    [Fact]
    public void AStackThatCannotHoldTheUregChangesNothing()
    {
        WithTable(table =>
        {
            foreach (ulong top in new[] { StackTop + Page, 16UL, PageTable.MaxVirtualAddress + Page })
            {
                TrapFrame frame = Interrupted();
                TrapFrame before = new();
                before.CopyFrom(frame);
                Assert.Equal(0UL, Upcall.Deliver(table, _memory, frame, 13, 0, 0x800, top, 0, 0));
                AssertSame(before, frame);
            }
        });
    }

    [Theory]
    [InlineData(AbiConstantsOf.Status, 1UL << 8)]    // SPP: "return to supervisor mode"
    [InlineData(AbiConstantsOf.Status, 1UL << 1)]    // SIE
    [InlineData(AbiConstantsOf.Status, 1UL << 18)]   // SUM
    [InlineData(AbiConstantsOf.Fcsr, 0x100UL)]       // no such fcsr bit
    [InlineData(AbiConstantsOf.Pc, 1UL << 40)]       // outside user space
    public void AUregUserModeCouldNotHaveIsRefusedAndChangesNothing(int offset, ulong value)
    {
        WithTable(table =>
        {
            TrapFrame frame = Interrupted();
            ulong ureg = Upcall.Deliver(table, _memory, frame, 0, 0, 0x800, StackTop, 0, 0);
            Assert.NotEqual(0UL, ureg);
            Assert.True(table.CopyOut(_memory, ureg + (ulong)offset, BitConverter.GetBytes(value)));
            TrapFrame before = new();
            before.CopyFrom(frame);
            Assert.False(Upcall.Resume(table, _memory, frame, ureg));
            AssertSame(before, frame);
            Assert.False(Upcall.Resume(table, _memory, frame, StackTop + 2 * Page)); // unmapped
            AssertSame(before, frame);
        });
    }

    private static void AssertSame(TrapFrame expected, TrapFrame actual)
    {
        Assert.Equal(expected.Pc, actual.Pc);
        Assert.Equal(expected.Fcsr, actual.Fcsr);
        for (int i = 1; i < 32; i++)
            Assert.True(expected[i] == actual[i], $"x{i}: {expected[i]:x} != {actual[i]:x}");
        for (int i = 0; i < 32; i++)
            Assert.True(expected.FloatRegister(i) == actual.FloatRegister(i), $"f{i}");
    }

    /// <summary>The ureg's offsets, as the generated constants give them.</summary>
    private static class AbiConstantsOf
    {
        public const int Cause = Syscalls.AbiConstants.UREG_CAUSE, Addr = Syscalls.AbiConstants.UREG_ADDR,
            Pc = Syscalls.AbiConstants.UREG_PC, Status = Syscalls.AbiConstants.UREG_STATUS,
            X1 = Syscalls.AbiConstants.UREG_X1, Fcsr = Syscalls.AbiConstants.UREG_FCSR;
    }
}
