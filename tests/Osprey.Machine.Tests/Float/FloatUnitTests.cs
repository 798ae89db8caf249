using Osprey.Machine.Float;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// The hart's fast paths (<see cref="FloatUnit"/>, on the host's arithmetic) against the
/// integer soft-float, which the conformance tables and the differential streams check
/// against the specification and qemu-riscv64: the same bits and the same flags for every
/// operation, in every rounding mode, on operands from every class, with and without NX
/// already accrued.
/// </summary>
public sealed class FloatUnitTests
{
    private const int Samples = 30_000;
    private static readonly FloatFormat D = FloatFormat.Double;
    private static readonly FloatFormat S = FloatFormat.Single;

    public static TheoryData<string> Operations => new()
    {
        "add", "sub", "mul", "div", "sqrt", "fma", "fnmsub", "toint", "fromint", "convert",
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void DoubleAgreesWithTheSoftFloat(string operation)
    {
        var samples = new FloatSamples(0xFA57_D0 ^ (ulong)operation.GetHashCode(StringComparison.Ordinal));
        for (int i = 0; i < Samples; i++)
        {
            ulong a = samples.Double();
            ulong b = samples.Below(4) == 0 ? samples.DoubleNear(a) : samples.Double();
            // Often near the product (of either sign), so fused multiply-adds cancel.
            ulong c = samples.Below(3) == 0
                ? samples.DoubleNear(BitConverter.DoubleToUInt64Bits(BitConverter.UInt64BitsToDouble(a) * BitConverter.UInt64BitsToDouble(b)))
                : samples.Double();
            ulong n = samples.Below(2) == 0 ? samples.Bits() : samples.Bits() >> samples.Below(64);
            int width = samples.Below(2) == 0 ? 32 : 64;
            bool signed = samples.Below(2) == 0;
            for (var rm = RoundingMode.NearestEven; rm <= RoundingMode.NearestMaxMagnitude; rm++)
            {
                // Half the time with NX already accrued, which lets round-to-nearest skip work.
                uint fast = (i & 1) == 0 ? 0 : FloatFlags.Inexact, soft = fast;
                (ulong f, ulong s) = operation switch
                {
                    "add" => (FloatUnit.AddD(a, b, false, rm, ref fast), SoftFloat.Add(D, a, b, false, rm, ref soft)),
                    "sub" => (FloatUnit.AddD(a, b, true, rm, ref fast), SoftFloat.Add(D, a, b, true, rm, ref soft)),
                    "mul" => (FloatUnit.MultiplyD(a, b, rm, ref fast), SoftFloat.Multiply(D, a, b, rm, ref soft)),
                    "div" => (FloatUnit.DivideD(a, b, rm, ref fast), SoftFloat.Divide(D, a, b, rm, ref soft)),
                    "sqrt" => (FloatUnit.SquareRootD(a, rm, ref fast), SoftFloat.SquareRoot(D, a, rm, ref soft)),
                    "fma" => (FloatUnit.MultiplyAddD(a, b, c, false, false, rm, ref fast), SoftFloat.MultiplyAdd(D, a, b, c, false, false, rm, ref soft)),
                    "fnmsub" => (FloatUnit.MultiplyAddD(a, b, c, true, false, rm, ref fast), SoftFloat.MultiplyAdd(D, a, b, c, true, false, rm, ref soft)),
                    "toint" => (FloatUnit.ToIntegerD(a, width, signed, rm, ref fast), SoftFloat.ToInteger(D, a, width, signed, rm, ref soft)),
                    "fromint" => (FloatUnit.FromIntegerD(n, signed, rm, ref fast), SoftFloat.FromInteger(D, n, signed, rm, ref soft)),
                    _ => (FloatUnit.SingleToDouble(a & 0xFFFF_FFFF, rm, ref fast), SoftFloat.Convert(S, D, a & 0xFFFF_FFFF, rm, ref soft)),
                };
                if (f != s || fast != soft)
                    Assert.Fail($"{operation}.d {rm} (0x{a:x16}, 0x{b:x16}, 0x{c:x16}, n=0x{n:x}, w={width}, signed={signed}): " +
                        $"fast 0x{f:x} {FloatCase.FlagNames(fast)}, soft-float 0x{s:x} {FloatCase.FlagNames(soft)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void SingleAgreesWithTheSoftFloat(string operation)
    {
        var samples = new FloatSamples(0xFA57_51 ^ (ulong)operation.GetHashCode(StringComparison.Ordinal));
        for (int i = 0; i < Samples; i++)
        {
            ulong a = samples.Single();
            ulong b = samples.Below(4) == 0 ? samples.SingleNear(a) : samples.Single();
            ulong c = samples.Single();
            ulong d = samples.Double();
            ulong n = samples.Below(2) == 0 ? samples.Bits() : samples.Bits() >> samples.Below(64);
            int width = samples.Below(2) == 0 ? 32 : 64;
            bool signed = samples.Below(2) == 0;
            for (var rm = RoundingMode.NearestEven; rm <= RoundingMode.NearestMaxMagnitude; rm++)
            {
                // Half the time with NX already accrued, which lets round-to-nearest skip work.
                uint fast = (i & 1) == 0 ? 0 : FloatFlags.Inexact, soft = fast;
                (ulong f, ulong s) = operation switch
                {
                    "add" => (FloatUnit.AddS(a, b, false, rm, ref fast), SoftFloat.Add(S, a, b, false, rm, ref soft)),
                    "sub" => (FloatUnit.AddS(a, b, true, rm, ref fast), SoftFloat.Add(S, a, b, true, rm, ref soft)),
                    "mul" => (FloatUnit.MultiplyS(a, b, rm, ref fast), SoftFloat.Multiply(S, a, b, rm, ref soft)),
                    "div" => (FloatUnit.DivideS(a, b, rm, ref fast), SoftFloat.Divide(S, a, b, rm, ref soft)),
                    "sqrt" => (FloatUnit.SquareRootS(a, rm, ref fast), SoftFloat.SquareRoot(S, a, rm, ref soft)),
                    "fma" => (FloatUnit.MultiplyAddS(a, b, c, false, false, rm, ref fast), SoftFloat.MultiplyAdd(S, a, b, c, false, false, rm, ref soft)),
                    "fnmsub" => (FloatUnit.MultiplyAddS(a, b, c, true, false, rm, ref fast), SoftFloat.MultiplyAdd(S, a, b, c, true, false, rm, ref soft)),
                    "toint" => (FloatUnit.ToIntegerS(a, width, signed, rm, ref fast), SoftFloat.ToInteger(S, a, width, signed, rm, ref soft)),
                    "fromint" => (FloatUnit.FromIntegerS(n, signed, rm, ref fast), SoftFloat.FromInteger(S, n, signed, rm, ref soft)),
                    _ => (FloatUnit.DoubleToSingle(d, rm, ref fast), SoftFloat.Convert(D, S, d, rm, ref soft)),
                };
                if (f != s || fast != soft)
                    Assert.Fail($"{operation}.s {rm} (0x{a:x8}, 0x{b:x8}, 0x{c:x8}, d=0x{d:x16}, n=0x{n:x}, w={width}, signed={signed}): " +
                        $"fast 0x{f:x} {FloatCase.FlagNames(fast)}, soft-float 0x{s:x} {FloatCase.FlagNames(soft)}");
            }
        }
    }
}
