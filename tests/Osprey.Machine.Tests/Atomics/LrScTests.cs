using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Atomics;

/// <summary>LR/SC on one hart, and the reservation rules that another hart's store interacts with.</summary>
public sealed class LrScTests
{
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Data = TestMachine.DataBase + 0x200;
    private const ulong Other = TestMachine.DataBase + 0x300;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void LrWSignExtendsAndLrDLoadsAllBits()
    {
        using var m = new TestMachine();
        m.Memory.Write32(Data, 0x8000_0001);
        m.Memory.Write64(Data + 8, 0xFEDC_BA98_7654_3210);
        m[A0] = Data;
        m[A1] = Data + 8;
        m.RunToEbreak(LrW(T0, A0), LrD(T1, A1));
        Assert.Equal(0xFFFF_FFFF_8000_0001UL, m[T0]);
        Assert.Equal(0xFEDC_BA98_7654_3210UL, m[T1]);
    }

    [Fact]
    public void ScAfterLrToTheSameAddressSucceedsAndReturnsZero()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 0xAAAA_AAAA_0000_0005);
        m.Memory.Write64(Data + 8, 41);
        m[A0] = Data;
        m[A1] = Data + 8;
        m[A2] = 0x1_0000_0007; // sc.w stores only the low word
        m[A3] = 42;
        m[T2] = 0xBAD;
        m[T3] = 0xBAD;
        m.RunToEbreak(LrW(T0, A0), ScW(T2, A0, A2), LrD(T1, A1), ScD(T3, A1, A3, aq: true, rl: true));
        Assert.Equal(0UL, m[T2]);
        Assert.Equal(0UL, m[T3]);
        Assert.Equal(0xAAAA_AAAA_0000_0007UL, m.Memory.Read64(Data));
        Assert.Equal(42UL, m.Memory.Read64(Data + 8));
    }

    [Fact]
    public void ScWithoutAReservationFailsAndStoresNothing()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 5);
        m[A0] = Data;
        m[A2] = 9;
        m.RunToEbreak(ScD(T0, A0, A2), ScW(T1, A0, A2));
        Assert.NotEqual(0UL, m[T0]);
        Assert.NotEqual(0UL, m[T1]);
        Assert.Equal(5UL, m.Memory.Read64(Data));
    }

    [Fact]
    public void ScToAnotherAddressFailsAndDropsTheReservation()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 5);
        m.Memory.Write64(Other, 6);
        m[A0] = Data;
        m[A1] = Other;
        m[A2] = 9;
        m.RunToEbreak(
            LrD(T0, A0),
            ScD(T1, A1, A2),  // different address: fails
            ScD(T2, A0, A2)); // the failed SC invalidated the reservation: fails too
        Assert.NotEqual(0UL, m[T1]);
        Assert.NotEqual(0UL, m[T2]);
        Assert.Equal(5UL, m.Memory.Read64(Data));
        Assert.Equal(6UL, m.Memory.Read64(Other));
    }

    [Fact]
    public void ASecondScWithoutANewLrFails()
    {
        using var m = new TestMachine();
        m[A0] = Data;
        m[A2] = 1;
        m[A3] = 2;
        m.RunToEbreak(LrD(T0, A0), ScD(T1, A0, A2), ScD(T2, A0, A3));
        Assert.Equal(0UL, m[T1]);
        Assert.NotEqual(0UL, m[T2]);
        Assert.Equal(1UL, m.Memory.Read64(Data));
    }

    [Fact]
    public void ANewerLrMovesTheReservation()
    {
        using var m = new TestMachine();
        m[A0] = Data;
        m[A1] = Other;
        m[A2] = 3;
        m.RunToEbreak(LrD(T0, A0), LrD(T0, A1), ScD(T1, A0, A2), LrD(T0, A0), LrD(T0, A1), ScD(T2, A1, A2));
        Assert.NotEqual(0UL, m[T1]);
        Assert.Equal(0UL, m[T2]);
        Assert.Equal(0UL, m.Memory.Read64(Data));
        Assert.Equal(3UL, m.Memory.Read64(Other));
    }

    [Fact]
    public void TheReservationDoesNotSurviveAReturnFromRun()
    {
        // The kernel may run another thread in between, so Run drops it (documented).
        using var m = new TestMachine();
        m[A0] = Data;
        m[A2] = 8;
        m.Place(Code, LrD(T0, A0), ScD(T1, A0, A2), Ebreak());
        m.Hart.Pc = Code;
        Assert.Equal(TrapCause.BudgetExhausted, m.Hart.Run(1).Cause);
        TestMachine.ExpectBreakpoint(m.Hart.Run(10), Code + 8);
        Assert.NotEqual(0UL, m[T1]);
        Assert.Equal(0UL, m.Memory.Read64(Data));
    }

    [Fact]
    public void ACompareAndSwapLoopWorks()
    {
        using var m = new TestMachine();
        m.Memory.Write64(Data, 100);
        m[A0] = Data;
        m[A2] = 10;
        m.RunToEbreak(
            LrD(T0, A0),         // retry:
            Addi(T0, T0, 7),
            ScD(T1, A0, T0),
            Bne(T1, Zero, -12),
            Addi(A2, A2, -1),
            Bne(A2, Zero, -20));
        Assert.Equal(170UL, m.Memory.Read64(Data));
    }

    [Theory]
    [InlineData("lr.w", 2UL)]
    [InlineData("lr.d", 4UL)]
    [InlineData("sc.w", 1UL)]
    [InlineData("sc.d", 6UL)]
    public void MisalignedLrAndScTrap(string op, ulong offset)
    {
        using var m = new TestMachine();
        m[A0] = Data + offset;
        uint instruction = op switch
        {
            "lr.w" => LrW(T0, A0),
            "lr.d" => LrD(T0, A0),
            "sc.w" => ScW(T0, A0, A2),
            _ => ScD(T0, A0, A2),
        };
        var trap = m.RunCode(instruction);
        // LR is a load: cause 4. SC is a store: cause 6.
        TrapCause expected = op.StartsWith("lr", StringComparison.Ordinal) ? TrapCause.LoadAddressMisaligned : TrapCause.StoreAddressMisaligned;
        Assert.Equal(new Trap(expected, Code, Data + offset), trap);
    }

    [Fact]
    public void LrOutsideRamIsALoadAccessFault()
    {
        using var m = new TestMachine();
        m[A0] = 0x2000;
        Assert.Equal(new Trap(TrapCause.LoadAccessFault, Code, 0x2000), m.RunCode(LrW(T0, A0)));
    }

    // Two harts on two threads, stepping through a handshake in shared memory:
    // flag1 = 1 once hart A holds its reservation; flag2 = 1 once hart B has stored.
    private const ulong Flag1 = TestMachine.DataBase + 0x400, Flag2 = TestMachine.DataBase + 0x408;

    private static (Trap A, Trap B) RunPair(TestMachine m, Hart a, Hart b)
    {
        Trap trapA = default, trapB = default;
        Exception? failure = null;
        void Body(Hart h, Action<Trap> done)
        {
            try
            {
                // One unbounded Run: returning from Run drops the reservation, which would make
                // hart A's SC fail however long it spins. A hang is ended by an interrupt below.
                done(h.Run(long.MaxValue));
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        var ta = new Thread(() => Body(a, t => trapA = t));
        var tb = new Thread(() => Body(b, t => trapB = t));
        ta.Start();
        tb.Start();
        bool finished = ta.Join(Deadline) & tb.Join(Deadline);
        if (!finished)
        {
            // Unstick the spinning guests so the threads end before the machine is disposed.
            a.RaiseInterrupt(InterruptLine.External);
            b.RaiseInterrupt(InterruptLine.External);
            ta.Join();
            tb.Join();
        }
        Assert.True(finished, "the harts did not finish their handshake");
        Assert.Null(failure);
        return (trapA, trapB);
    }

    private static void PlaceHandshake(TestMachine m, ulong hartACode, ulong hartBCode)
    {
        // Hart A: t0 = lr.d (a0); flag1 = 1; wait for flag2; t1 = sc.d a2, (a0).
        m.Place(hartACode,
            LrD(T0, A0),          // 0
            Addi(T3, Zero, 1),    // 4
            Sd(A4, T3, 0),        // 8: flag1 = 1
            Ld(T4, A5, 0),        // 12: wait: t4 = flag2
            Beq(T4, Zero, -4),    // 16
            ScD(T1, A0, A2),      // 20
            Ebreak());            // 24
        // Hart B: wait for flag1; store a3 to (a1); flag2 = 1.
        m.Place(hartBCode,
            Ld(T4, A4, 0),        // 0: wait: t4 = flag1
            Beq(T4, Zero, -4),    // 4
            Sd(A1, A3, 0),        // 8: the store
            Addi(T3, Zero, 1),    // 12
            Sd(A5, T3, 0),        // 16: flag2 = 1
            Ebreak());            // 20
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnotherHartsStoreBetweenLrAndScMakesTheScFail(bool sameAddress)
    {
        using var m = new TestMachine();
        using var other = new Hart(m.Memory, 1);
        ulong bTarget = sameAddress ? Data : Other;
        PlaceHandshake(m, Code, Code + 0x100);
        m.Memory.Write64(Data, 10);
        m.Memory.Write64(Other, 10);

        var a = m.Hart;
        a.Pc = Code;
        a[A0] = Data;
        a[A2] = 11;
        a[A4] = Flag1;
        a[A5] = Flag2;
        other.Pc = Code + 0x100;
        other[A1] = bTarget;
        other[A3] = 77;
        other[A4] = Flag1;
        other[A5] = Flag2;

        var (trapA, trapB) = RunPair(m, a, other);
        Assert.Equal(TrapCause.Breakpoint, trapA.Cause);
        Assert.Equal(TrapCause.Breakpoint, trapB.Cause);
        Assert.Equal(10UL, a[T0]);
        if (sameAddress)
        {
            // B's store landed between A's LR and SC: the SC fails and B's value stays.
            Assert.NotEqual(0UL, a[T1]);
            Assert.Equal(77UL, m.Memory.Read64(Data));
        }
        else
        {
            // A store elsewhere leaves the reservation alone.
            Assert.Equal(0UL, a[T1]);
            Assert.Equal(11UL, m.Memory.Read64(Data));
            Assert.Equal(77UL, m.Memory.Read64(Other));
        }
    }
}
