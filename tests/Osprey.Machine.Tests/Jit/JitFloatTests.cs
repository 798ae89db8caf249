using Osprey.Machine.Jit;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Jit;

/// <summary>
/// Translated code does double-precision arithmetic and sign injection itself (Jit/Emitter.Float.cs)
/// rather than through the interpreter: a loop of those operations, translated, ends with the
/// interpreter's bits in every register, its fflags, and its instret, in every rounding mode,
/// named in the instruction or taken from frm, and an invalid frm is still an illegal instruction.
/// </summary>
public sealed class JitFloatTests
{
    private const ulong Code = TestMachine.CodeBase;
    private const int Rounds = 50;

    // f1 grows by f2 each round and feeds products, fused multiply-adds, quotients and roots, so
    // most results are inexact and round differently in each mode; f9 starts negative, so the
    // square root of f10 (= f9 * f2 + f1 - ...) is a NaN now and then, which raises NV.
    private static uint[] Loop(int rm) =>
    [
        Li(T0, Rounds),
        Fp("fadd.d", 1, 1, 2, rm: rm),            // loop:
        Fp("fmul.d", 3, 1, 4, rm: rm),
        Fp("fmadd.d", 5, 3, 2, 1, rm: rm),
        Fp("fmsub.d", 6, 5, 4, 3, rm: rm),
        Fp("fnmsub.d", 7, 6, 2, 9, rm: rm),
        Fp("fnmadd.d", 8, 7, 4, 2, rm: rm),
        Fp("fdiv.d", 10, 8, 9, rm: rm),
        Fp("fsub.d", 11, 10, 1, rm: rm),
        Fp("fsqrt.d", 12, 11, rm: rm),
        Fp("fsgnjn.d", 13, 12, 9),
        Fp("fsgnjx.d", 14, 3, 9),
        Fp("fsgnj.d", 9, 9, 14),
        Addi(T0, T0, -1),
        Bne(T0, Zero, -13 * 4),
        Ebreak(),
    ];

    private static TestMachine Prepared(JitOptions? jit, int frm)
    {
        var m = new TestMachine(jit: jit);
        m.Hart.SetFloatRegister(1, BitConverter.DoubleToUInt64Bits(1.0 / 3));
        m.Hart.SetFloatRegister(2, BitConverter.DoubleToUInt64Bits(0.1));
        m.Hart.SetFloatRegister(4, BitConverter.DoubleToUInt64Bits(1.000001));
        m.Hart.SetFloatRegister(9, BitConverter.DoubleToUInt64Bits(-2.5));
        m.Hart.Fcsr = (uint)frm << 5;
        return m;
    }

    [Theory]
    [InlineData(Rne, 0)] [InlineData(Rtz, 0)] [InlineData(Rdn, 0)] [InlineData(Rup, 0)] [InlineData(Rmm, 0)]
    [InlineData(Dyn, 0)] [InlineData(Dyn, 1)] [InlineData(Dyn, 2)] [InlineData(Dyn, 3)] [InlineData(Dyn, 4)]
    public void ATranslatedDoubleLoopEndsWithTheInterpretersBitsAndFlags(int rm, int frm)
    {
        uint[] loop = Loop(rm);
        ulong ebreak = Code + 4 * (ulong)(loop.Length - 1);
        using TestMachine interpreted = Prepared(null, frm);
        interpreted.Place(Code, loop);
        TestMachine.ExpectBreakpoint(interpreted.Run(Code), ebreak);

        using TestMachine translated = Prepared(new JitOptions { Mode = JitMode.Forced }, frm);
        translated.Place(Code, loop);
        TestMachine.ExpectBreakpoint(translated.Run(Code), ebreak);

        Assert.Equal(0, translated.Hart.JitCounters!.Interpreted);
        for (int f = 1; f <= 14; f++)
            Assert.True(interpreted.Hart.GetFloatRegister(f) == translated.Hart.GetFloatRegister(f),
                $"f{f}: interpreter {interpreted.Hart.GetFloatRegister(f):x16}, translated {translated.Hart.GetFloatRegister(f):x16}");
        Assert.Equal(interpreted.Hart.Fcsr, translated.Hart.Fcsr);
        Assert.Equal(interpreted.Hart.Instret, translated.Hart.Instret);
        Assert.NotEqual(0u, translated.Hart.Fcsr & (NX | NV)); // the loop did raise flags to compare
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void AnInvalidFrmMakesTranslatedArithmeticIllegal(int frm)
    {
        using TestMachine m = Prepared(new JitOptions { Mode = JitMode.Forced }, frm);
        m.Place(Code, Addi(T0, Zero, 1), Fp("fadd.d", 1, 1, 2, rm: Dyn), Ebreak());
        ulong before = m.Hart.GetFloatRegister(1);
        var trap = m.Run(Code);
        Assert.Equal(Osprey.Machine.Cpu.TrapCause.IllegalInstruction, trap.Cause);
        Assert.Equal(Code + 4, trap.Pc);
        Assert.Equal(Fp("fadd.d", 1, 1, 2, rm: Dyn), (uint)trap.Value);
        Assert.Equal(before, m.Hart.GetFloatRegister(1));
        Assert.Equal(1UL, m[T0]);
        Assert.Equal(1UL, m.Hart.Instret);
    }
}
