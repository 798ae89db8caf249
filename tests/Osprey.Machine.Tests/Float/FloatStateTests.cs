using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Float.FloatValues;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// fflags, frm and fcsr: every CSR instruction form on each, that they are views of one
/// register, that flags accrue until software clears them, and that a dynamic rounding mode
/// while frm holds an invalid value (5, 6, 7) is an illegal instruction that changes nothing,
/// while static modes and instructions without a mode still run.
/// </summary>
public sealed class FloatStateTests
{
    private const ulong Code = TestMachine.CodeBase;

    [Fact]
    public void TheThreeCsrsAreViewsOfFcsr()
    {
        using var m = new TestMachine();
        m[A1] = 0b10110;
        m[A2] = 3;
        m.RunToEbreak(Fsflags(A0, A1), Fsrm(A3, A2), Frcsr(A4), Frflags(A5), Frrm(A6));
        Assert.Equal(0UL, m[A0]); // the old flags
        Assert.Equal(0UL, m[A3]); // the old mode
        Assert.Equal((3UL << 5) | 0b10110, m[A4]);
        Assert.Equal(0b10110UL, m[A5]);
        Assert.Equal(3UL, m[A6]);
        Assert.Equal((3u << 5) | 0b10110, m.Hart.Fcsr);
    }

    [Fact]
    public void WritesKeepOnlyTheFieldsBits()
    {
        using var m = new TestMachine();
        m[A1] = ulong.MaxValue;
        m.RunToEbreak(Fscsr(Zero, A1), Frcsr(A2), Fsflags(Zero, A1), Frflags(A3), Fsrm(Zero, A1), Frrm(A4));
        Assert.Equal(0xFFUL, m[A2]); // bits 31..8 of fcsr are reserved and read as zero
        Assert.Equal(31UL, m[A3]);
        Assert.Equal(7UL, m[A4]); // an invalid mode is held, and read back
        Assert.Equal(0xFFu, m.Hart.Fcsr);
    }

    [Fact]
    public void WritingOneFieldLeavesTheOther()
    {
        using var m = new TestMachine();
        m.Hart.Fcsr = (2u << 5) | 0b00101;
        m[A1] = 0b11000;
        m.RunToEbreak(Fsflags(Zero, A1), Fsrmi(A2, 4));
        Assert.Equal(2UL, m[A2]);
        Assert.Equal((4u << 5) | 0b11000, m.Hart.Fcsr);
    }

    [Fact]
    public void SetAndClearFormsReadThenChangeBits()
    {
        using var m = new TestMachine();
        m.Hart.Fcsr = (1u << 5) | 0b00011;
        m[A1] = 0b10000;
        m[A2] = 0b00001;
        m.RunToEbreak(
            Csrrs(A3, CsrFflags, A1),     // 00011 -> 10011
            Csrrc(A4, CsrFflags, A2),     // 10011 -> 10010
            Csrrsi(A5, CsrFcsr, 0b01000), // flags |= 01000
            Csrrci(A6, CsrFrm, 1),        // mode 1 -> 0
            Csrrwi(A7, CsrFrm, 3));
        Assert.Equal(0b00011UL, m[A3]);
        Assert.Equal(0b10011UL, m[A4]);
        Assert.Equal((1UL << 5) | 0b10010, m[A5]);
        Assert.Equal(1UL, m[A6]);
        Assert.Equal(0UL, m[A7]);
        Assert.Equal((3u << 5) | 0b11010, m.Hart.Fcsr);
    }

    [Fact]
    public void SetAndClearWithX0OrAZeroImmediateOnlyRead()
    {
        using var m = new TestMachine();
        m.Hart.Fcsr = 0x7F;
        m.RunToEbreak(Csrrs(A0, CsrFcsr, Zero), Csrrc(A1, CsrFflags, Zero), Csrrsi(A2, CsrFrm, 0), Csrrci(A3, CsrFcsr, 0));
        Assert.Equal(0x7FUL, m[A0]);
        Assert.Equal(0x1FUL, m[A1]);
        Assert.Equal(3UL, m[A2]);
        Assert.Equal(0x7FUL, m[A3]);
        Assert.Equal(0x7Fu, m.Hart.Fcsr);
    }

    [Fact]
    public void CsrrwWithRdX0StillWrites()
    {
        using var m = new TestMachine();
        m[A1] = 0x8F;
        m.RunToEbreak(Csrrw(Zero, CsrFcsr, A1));
        Assert.Equal(0x8Fu, m.Hart.Fcsr);
        Assert.Equal(0UL, m[Zero]);
    }

    [Fact]
    public void FlagsAccrueAcrossInstructionsUntilCleared()
    {
        using var m = new TestMachine();
        m.Hart.SetFloatRegister(1, D(1));
        m.Hart.SetFloatRegister(2, D(3));
        m.Hart.SetFloatRegister(3, D(0));
        m.RunToEbreak(
            Fp("fdiv.d", 4, 1, 2),  // NX
            Fp("fdiv.d", 5, 1, 3),  // DZ
            Fp("fadd.d", 6, 1, 1),  // exact: changes nothing
            Frflags(A0),
            Fsflags(Zero, Zero),
            Fp("fadd.d", 7, 1, 1),
            Frflags(A1));
        Assert.Equal((ulong)(NX | DZ), m[A0]);
        Assert.Equal(0UL, m[A1]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void DynamicRoundingWithAnInvalidFrmIsIllegalAndChangesNothing(int frm)
    {
        foreach (string op in new[] { "fadd.d", "fmul.s", "fsqrt.d", "fmadd.s", "fcvt.w.d", "fcvt.s.l", "fcvt.s.d", "fcvt.d.s", "fcvt.d.w" })
        {
            using var m = new TestMachine();
            m.Hart.SetFloatRegister(1, D(1));
            m.Hart.SetFloatRegister(2, D(3));
            m.Hart.SetFloatRegister(10, 0x1234);
            m[A0] = 0x5678;
            m.Hart.Fcsr = ((uint)frm << 5) | NX;
            uint bits = Fp(op, 10, 1, 2, 3, Dyn);
            m.Place(Code, Fp("fadd.d", 11, 1, 1, rm: Rne), bits, Ebreak());
            Trap trap = m.Run(Code);
            Assert.True(trap == new Trap(TrapCause.IllegalInstruction, Code + 4, bits), $"{op}: {trap}");
            Assert.Equal(0x1234UL, m.Hart.GetFloatRegister(10));
            Assert.Equal(0x5678UL, m[A0]);
            Assert.Equal(((uint)frm << 5) | NX, m.Hart.Fcsr);
            Assert.Equal(1UL, m.Hart.Instret);
        }
    }

    [Fact]
    public void AnInvalidFrmDoesNotStopStaticModesOrInstructionsWithoutOne()
    {
        using var m = new TestMachine();
        m.Hart.SetFloatRegister(1, D(1));
        m.Hart.SetFloatRegister(2, D(3));
        m.Hart.Fcsr = 7u << 5;
        m.RunToEbreak(Fp("fdiv.d", 10, 1, 2, rm: Rup), Fp("fmin.d", 11, 1, 2), Fp("fsgnjn.d", 12, 1, 2), Fp("feq.d", A0, 1, 1),
            Fp("fmv.x.d", A1, 2), Fp("fclass.d", A2, 1), Fp("fcvt.d.w", 13, A0, rm: Rne));
        Assert.Equal(0x3FD5_5555_5555_5556UL, m.Hart.GetFloatRegister(10));
        Assert.Equal(D(1), m.Hart.GetFloatRegister(11));
        Assert.Equal(D(-1), m.Hart.GetFloatRegister(12));
        Assert.Equal(1UL, m[A0]);
        Assert.Equal(D(3), m[A1]);
        Assert.Equal(1UL << 6, m[A2]);
        Assert.Equal(D(1), m.Hart.GetFloatRegister(13));
        Assert.Equal((7u << 5) | NX, m.Hart.Fcsr);
    }

    [Fact]
    public void ChangingFrmChangesHowTheNextDynamicInstructionRounds()
    {
        using var m = new TestMachine();
        m.Hart.SetFloatRegister(1, D(1));
        m.Hart.SetFloatRegister(2, D(3));
        m.RunToEbreak(Fsrmi(Zero, Rup), Fp("fdiv.d", 10, 1, 2), Fsrmi(Zero, Rdn), Fp("fdiv.d", 11, 1, 2));
        Assert.Equal(0x3FD5_5555_5555_5556UL, m.Hart.GetFloatRegister(10));
        Assert.Equal(0x3FD5_5555_5555_5555UL, m.Hart.GetFloatRegister(11));
    }

    [Fact]
    public void IntegerDestinationX0IsNotWritten()
    {
        using var m = new TestMachine();
        m.Hart.SetFloatRegister(1, D(-5));
        m.RunToEbreak(Fp("fcvt.l.d", Zero, 1, rm: Rne), Fp("fmv.x.d", Zero, 1), Fp("fclass.d", Zero, 1), Add(A0, Zero, Zero));
        Assert.Equal(0UL, m[Zero]);
        Assert.Equal(0UL, m[A0]);
    }

    [Fact]
    public void F0IsAnOrdinaryRegister()
    {
        using var m = new TestMachine();
        m.Hart.SetFloatRegister(1, D(2));
        m.RunToEbreak(Fp("fadd.d", 0, 1, 1), Fp("fmul.d", 2, 0, 0));
        Assert.Equal(D(4), m.Hart.GetFloatRegister(0));
        Assert.Equal(D(16), m.Hart.GetFloatRegister(2));
    }
}
