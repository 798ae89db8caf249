using Osprey.Machine.Float;

namespace Osprey.Machine.Tests.Float;

/// <summary>
/// The integer soft-float against the host's IEEE arithmetic, which rounds to nearest-even
/// correctly (add, multiply, divide, sqrt, FusedMultiplyAdd and the float/double/long
/// conversions are all correctly rounded in .NET on x64 and Arm64). The host cannot round any
/// other way or report flags; those are checked by the table-driven cases, the
/// directed-rounding oracle and the differential streams against qemu-riscv64.
/// </summary>
public sealed class SoftFloatHostTests
{
    private const int Samples = 100_000;
    private static readonly FloatFormat D = FloatFormat.Double;
    private static readonly FloatFormat S = FloatFormat.Single;

    public static TheoryData<string> Operations => new() { "add", "sub", "mul", "div", "sqrt", "fma", "fms", "fnma" };

    [Theory]
    [MemberData(nameof(Operations))]
    public void DoubleMatchesTheHostInRoundToNearest(string operation)
    {
        var samples = new FloatSamples(0xD0_0B1E ^ (ulong)operation.GetHashCode(StringComparison.Ordinal));
        for (int i = 0; i < Samples; i++)
        {
            ulong a = samples.Double();
            ulong b = samples.Below(4) == 0 ? samples.DoubleNear(a) : samples.Double();
            ulong c = samples.Below(4) == 0 ? samples.DoubleNear(Bits(BitConverter.UInt64BitsToDouble(a) * BitConverter.UInt64BitsToDouble(b))) : samples.Double();
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b), z = BitConverter.UInt64BitsToDouble(c);
            uint flags = 0;
            (ulong ours, double host) = operation switch
            {
                "add" => (SoftFloat.Add(D, a, b, false, RoundingMode.NearestEven, ref flags), x + y),
                "sub" => (SoftFloat.Add(D, a, b, true, RoundingMode.NearestEven, ref flags), x - y),
                "mul" => (SoftFloat.Multiply(D, a, b, RoundingMode.NearestEven, ref flags), x * y),
                "div" => (SoftFloat.Divide(D, a, b, RoundingMode.NearestEven, ref flags), x / y),
                "sqrt" => (SoftFloat.SquareRoot(D, a, RoundingMode.NearestEven, ref flags), Math.Sqrt(x)),
                "fma" => (SoftFloat.MultiplyAdd(D, a, b, c, false, false, RoundingMode.NearestEven, ref flags), Math.FusedMultiplyAdd(x, y, z)),
                "fms" => (SoftFloat.MultiplyAdd(D, a, b, c, false, true, RoundingMode.NearestEven, ref flags), Math.FusedMultiplyAdd(x, y, -z)),
                _ => (SoftFloat.MultiplyAdd(D, a, b, c, true, true, RoundingMode.NearestEven, ref flags), Math.FusedMultiplyAdd(-x, y, -z)),
            };
            AssertSame(D, ours, Bits(host), $"{operation}(0x{a:x16}, 0x{b:x16}, 0x{c:x16})");
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void SingleMatchesTheHostInRoundToNearest(string operation)
    {
        var samples = new FloatSamples(0x51_4611E ^ (ulong)operation.GetHashCode(StringComparison.Ordinal));
        for (int i = 0; i < Samples; i++)
        {
            ulong a = samples.Single();
            ulong b = samples.Below(4) == 0 ? samples.SingleNear(a) : samples.Single();
            ulong c = samples.Below(4) == 0 ? samples.SingleNear(Bits(F(a) * F(b))) : samples.Single();
            float x = F(a), y = F(b), z = F(c);
            uint flags = 0;
            (ulong ours, float host) = operation switch
            {
                "add" => (SoftFloat.Add(S, a, b, false, RoundingMode.NearestEven, ref flags), x + y),
                "sub" => (SoftFloat.Add(S, a, b, true, RoundingMode.NearestEven, ref flags), x - y),
                "mul" => (SoftFloat.Multiply(S, a, b, RoundingMode.NearestEven, ref flags), x * y),
                "div" => (SoftFloat.Divide(S, a, b, RoundingMode.NearestEven, ref flags), x / y),
                "sqrt" => (SoftFloat.SquareRoot(S, a, RoundingMode.NearestEven, ref flags), MathF.Sqrt(x)),
                "fma" => (SoftFloat.MultiplyAdd(S, a, b, c, false, false, RoundingMode.NearestEven, ref flags), MathF.FusedMultiplyAdd(x, y, z)),
                "fms" => (SoftFloat.MultiplyAdd(S, a, b, c, false, true, RoundingMode.NearestEven, ref flags), MathF.FusedMultiplyAdd(x, y, -z)),
                _ => (SoftFloat.MultiplyAdd(S, a, b, c, true, true, RoundingMode.NearestEven, ref flags), MathF.FusedMultiplyAdd(-x, y, -z)),
            };
            AssertSame(S, ours, Bits(host), $"{operation}(0x{a:x8}, 0x{b:x8}, 0x{c:x8})");
        }
    }

    [Fact]
    public void ConversionsMatchTheHost()
    {
        var samples = new FloatSamples(0xC0_4E27);
        for (int i = 0; i < Samples; i++)
        {
            ulong d = samples.Double(), s = samples.Single();
            uint flags = 0;
            AssertSame(S, SoftFloat.Convert(D, S, d, RoundingMode.NearestEven, ref flags),
                Bits((float)BitConverter.UInt64BitsToDouble(d)), $"fcvt.s.d 0x{d:x16}");
            AssertSame(D, SoftFloat.Convert(S, D, s, RoundingMode.NearestEven, ref flags), Bits((double)F(s)), $"fcvt.d.s 0x{s:x8}");

            ulong n = samples.Below(3) switch { 0 => samples.Bits(), 1 => samples.Bits() >> samples.Below(64), _ => (ulong)(long)(int)samples.Bits() };
            Assert.Equal(Bits((double)(long)n), SoftFloat.FromInteger(D, n, true, RoundingMode.NearestEven, ref flags));
            Assert.Equal(Bits((double)n), SoftFloat.FromInteger(D, n, false, RoundingMode.NearestEven, ref flags));
            Assert.Equal(Bits((float)(long)n), SoftFloat.FromInteger(S, n, true, RoundingMode.NearestEven, ref flags));
            Assert.Equal(Bits((float)n), SoftFloat.FromInteger(S, n, false, RoundingMode.NearestEven, ref flags));

            // In range, truncation is the host's conversion toward zero.
            double v = BitConverter.UInt64BitsToDouble(d);
            if (!double.IsNaN(v) && Math.Abs(v) < 9.2e18)
                Assert.Equal((ulong)(long)v, SoftFloat.ToInteger(D, d, 64, true, RoundingMode.TowardZero, ref flags));
            if (!double.IsNaN(v) && Math.Abs(v) < 9.2e18)
                Assert.Equal((ulong)(long)Math.Round(v, MidpointRounding.ToEven), SoftFloat.ToInteger(D, d, 64, true, RoundingMode.NearestEven, ref flags));
        }
    }

    /// <summary>Equal bits, except that any NaN the host makes must be the canonical NaN in ours.</summary>
    private static void AssertSame(FloatFormat f, ulong ours, ulong host, string what)
    {
        if (f.IsNaN(host))
        {
            if (ours != f.CanonicalNaN)
                Assert.Fail($"{what}: expected the canonical NaN, got 0x{ours:x}");
            return;
        }
        if (ours != host)
            Assert.Fail($"{what}: host 0x{host:x}, ours 0x{ours:x}");
    }

    private static ulong Bits(double v) => BitConverter.DoubleToUInt64Bits(v);

    private static ulong Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    private static float F(ulong bits) => BitConverter.UInt32BitsToSingle((uint)bits);
}
