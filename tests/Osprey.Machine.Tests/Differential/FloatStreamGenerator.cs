using System.Buffers.Binary;
using Osprey.Machine.Tests.Float;
using static Osprey.Machine.Tests.Differential.StreamLayout;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Generates random F and D instruction streams: every operation, every static rounding mode
/// and the dynamic one (with frm changed along the way), loads and stores (compressed ones
/// too) on the scratch buffer, and the fflags/frm/fcsr CSRs. Register values come from the
/// interesting classes (<see cref="FloatSamples"/>), including singles that are not properly
/// NaN-boxed. Straight-line code only: control flow is the integer streams' business.
///
/// So that a wrong flag is caught at the instruction that raised it rather than only as a
/// difference in the final fflags, most items end by reading and clearing fflags into t6 and
/// folding it into s1 (s1 = s1 * s11 + t6); s1, s11 and t6 are not random destinations.
/// frm only ever holds a valid mode, since a dynamic-mode instruction would otherwise trap.
/// </summary>
internal sealed class FloatStreamGenerator
{
    private const int FlagHash = 9, FlagMultiplier = 27, FlagTemp = 31; // s1, s11, t6

    private static readonly int[] IntegerDestinations =
        [.. Destinations.Where(r => r is not (FlagHash or FlagMultiplier or FlagTemp))];

    private static readonly string[] RoundingModes = ["", "rne", "rtz", "rdn", "rup", "rmm", "dyn"];

    private static readonly string[] Arithmetic = ["fadd", "fsub", "fmul", "fdiv"];

    private static readonly string[] FusedMultiplyAdds = ["fmadd", "fmsub", "fnmsub", "fnmadd"];

    private static readonly string[] SignInjections = ["fsgnj", "fsgnjn", "fsgnjx"];

    private static readonly string[] Comparisons = ["feq", "flt", "fle"];

    private static readonly string[] IntegerKinds = ["w", "wu", "l", "lu"];

    /// <summary>Integers that convert interestingly: around 2^24, 2^31, 2^32, 2^53, 2^63, and halfway cases.</summary>
    private static readonly ulong[] ConversionValues =
    [
        0, 1, ulong.MaxValue, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFF_8000_0000, 0x1_0000_0000,
        0x100_0001, 0x100_0003, 0xFFFF_FF80, 0xFFFF_FFC0, 0x20_0000_0000_0001, 0x20_0000_0000_0003,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FE00, 0xFFFF_FFFF_FFFF_F800, 0x8000_0000_0000_0400,
    ];

    private enum Kind
    {
        Arithmetic, FusedMultiplyAdd, SquareRoot, SignInjection, MinMax, Compare, Classify,
        ToInteger, FromInteger, Convert, Move, Load, Store, Compressed, Csr, SetValue, Accrue,
    }

    private static readonly (Kind Kind, int Weight)[] Mix =
    [
        (Kind.Arithmetic, 20), (Kind.FusedMultiplyAdd, 12), (Kind.SquareRoot, 4), (Kind.SignInjection, 4), (Kind.MinMax, 5),
        (Kind.Compare, 6), (Kind.Classify, 3), (Kind.ToInteger, 9), (Kind.FromInteger, 6), (Kind.Convert, 4), (Kind.Move, 5),
        (Kind.Load, 5), (Kind.Store, 4), (Kind.Compressed, 4), (Kind.Csr, 5), (Kind.SetValue, 8), (Kind.Accrue, 3),
    ];

    private static readonly int TotalWeight = Mix.Sum(m => m.Weight);

    private readonly SplitMix64 _rng;
    private readonly FloatSamples _values;

    private FloatStreamGenerator(ulong seed)
    {
        _rng = new SplitMix64(seed);
        _values = new FloatSamples(seed ^ 0xF10A7_5EED);
    }

    public static RandomStream Generate(ulong seed, int index, int length)
    {
        var g = new FloatStreamGenerator(seed);
        var registers = new ulong[32];
        foreach (int r in Destinations)
            registers[r] = g._rng.Chance(30) ? g._rng.Pick(ConversionValues) : StreamGenerator.IntegerValue(g._rng);
        registers[FlagHash] = 0;
        registers[FlagMultiplier] = 0x100_0000_01B3; // the FNV-1a prime, odd so no history is lost
        var floats = new ulong[32];
        for (int r = 0; r < 32; r++)
            floats[r] = g.RegisterValue();
        var scratch = new byte[ScratchBytes];
        for (int i = 0; i < scratch.Length; i += 8)
        {
            ulong word = g._rng.Chance(50) ? g._values.Double() : g._values.Single() | (g._values.Single() << 32);
            BinaryPrimitives.WriteUInt64LittleEndian(scratch.AsSpan(i), word);
        }
        var items = new StreamItem[length];
        for (int i = 0; i < length; i++)
            items[i] = new StreamItem(g.Item());
        uint fcsr = (uint)(g._rng.Below(5) << 5) | (uint)g._rng.Below(32);
        return new RandomStream(seed, index, registers, scratch, items, floats, fcsr);
    }

    private string Item()
    {
        Kind kind = _rng.PickWeighted(Mix, TotalWeight);
        string body = kind switch
        {
            Kind.Arithmetic => $"{_rng.Pick(Arithmetic)}.{Width()} {F()}, {F()}, {F()}{Rm()}",
            Kind.FusedMultiplyAdd => $"{_rng.Pick(FusedMultiplyAdds)}.{Width()} {F()}, {F()}, {F()}, {F()}{Rm()}",
            Kind.SquareRoot => $"fsqrt.{Width()} {F()}, {F()}{Rm()}",
            Kind.SignInjection => $"{_rng.Pick(SignInjections)}.{Width()} {F()}, {F()}, {F()}",
            Kind.MinMax => $"{(_rng.Chance(50) ? "fmin" : "fmax")}.{Width()} {F()}, {F()}, {F()}",
            Kind.Compare => $"{_rng.Pick(Comparisons)}.{Width()} {X()}, {F()}, {F()}",
            Kind.Classify => $"fclass.{Width()} {X()}, {F()}",
            Kind.ToInteger => $"fcvt.{_rng.Pick(IntegerKinds)}.{Width()} {X()}, {F()}{Rm()}",
            Kind.FromInteger => FromInteger(),
            Kind.Convert => _rng.Chance(50) ? $"fcvt.s.d {F()}, {F()}{Rm()}" : Exact("fcvt.d.s", 0x21, F(), F(), 0),
            Kind.Move => _rng.Below(4) switch
            {
                0 => $"fmv.x.w {X()}, {F()}",
                1 => $"fmv.x.d {X()}, {F()}",
                2 => $"fmv.w.x {F()}, {Source()}",
                _ => $"fmv.d.x {F()}, {Source()}",
            },
            Kind.Load => Memory(load: true),
            Kind.Store => Memory(load: false),
            Kind.Compressed => Compressed(),
            Kind.Csr => Csr(),
            Kind.SetValue => SetValue(),
            _ => $"{_rng.Pick(Arithmetic)}.{Width()} {F()}, {F()}, {F()}{Rm()}\n{_rng.Pick(Arithmetic)}.{Width()} {F()}, {F()}, {F()}{Rm()}",
        };
        // Most items fold the flags they raised into the hash; the rest let them accrue into the next.
        if (_rng.Chance(15))
            return body;
        string read = _rng.Below(3) switch
        {
            0 => "csrrw t6, fflags, zero",
            1 => "csrrci t6, fflags, 31",
            _ => "frflags t6\nfsflags zero",
        };
        return $"{body}\n{read}\nmul s1, s1, s11\nadd s1, s1, t6";
    }

    private string FromInteger()
    {
        string kind = _rng.Pick(IntegerKinds);
        string source = Source();
        string set = "";
        if (_rng.Chance(40) && source != "zero")
            set = $"li {source}, 0x{_rng.Pick(ConversionValues) ^ (_rng.Chance(30) ? (ulong)_rng.Below(4) : 0):x}\n";
        string width = Width();
        if (width == "d" && kind is "w" or "wu")
            return set + Exact($"fcvt.d.{kind}", 0x69, F(), source, kind == "w" ? 0 : 1);
        return $"{set}fcvt.{width}.{kind} {F()}, {source}{Rm()}";
    }

    /// <summary>
    /// A conversion that is always exact (fcvt.d.s, fcvt.d.w, fcvt.d.wu). The rounding-mode
    /// field still decodes as usual, but the assembler refuses one, so a mode other than the
    /// default is written as the raw OP-FP word with <paramref name="funct7"/> and rs2 = <paramref name="rs2"/>.
    /// </summary>
    private string Exact(string mnemonic, int funct7, string rd, string rs1, int rs2)
    {
        int mode = _rng.Below(6);
        if (mode == 5)
            return $"{mnemonic} {rd}, {rs1}";
        int rm = mode == 4 && _rng.Chance(50) ? 7 : mode;
        return $".insn r 0x53, {rm}, 0x{funct7:x}, {rd}, {rs1}, x{rs2}";
    }

    private string Memory(bool load)
    {
        int size = _rng.Chance(50) ? 4 : 8;
        (string b, int offset) = StreamGenerator.ScratchAddress(_rng, size, misaligned: _rng.Chance(20));
        string op = (load ? "fl" : "fs") + (size == 4 ? "w" : "d");
        return $"{op} {F()}, {offset}({b})";
    }

    private string Compressed()
    {
        string fPrime = FloatRegisterNames[_rng.Between(8, 15)];
        return _rng.Below(4) switch
        {
            0 => $"c.fld {fPrime}, {8 * _rng.Between(0, 31)}(s0)",
            1 => $"c.fsd {fPrime}, {8 * _rng.Between(0, 31)}(s0)",
            2 => $"c.fldsp {F()}, {8 * _rng.Between(0, 63)}(sp)",
            _ => $"c.fsdsp {F()}, {8 * _rng.Between(0, 63)}(sp)",
        };
    }

    /// <summary>The CSR instructions, keeping frm valid: any write to it is a valid mode or a clear of some of its bits.</summary>
    private string Csr()
    {
        string rd = X();
        string t = Name(_rng.Pick(IntegerDestinations));
        int mode = _rng.Below(5);
        return _rng.Below(11) switch
        {
            0 => $"fsrmi {rd}, {mode}",
            1 => $"li {t}, {mode}\nfsrm {rd}, {t}",
            2 => $"frrm {rd}",
            3 => $"fsflagsi {rd}, {_rng.Below(32)}",
            4 => $"li {t}, 0x{_rng.Next():x}\nfsflags {rd}, {t}",
            5 => $"frcsr {rd}",
            6 => $"li {t}, 0x{(_rng.Next() & ~0xE0UL) | ((ulong)mode << 5):x}\nfscsr {rd}, {t}",
            7 => $"csrrsi {rd}, {_rng.Pick(["fflags", "fcsr"])}, {_rng.Below(32)}",
            8 => $"csrrci {rd}, {_rng.Pick(["fflags", "fcsr", "frm"])}, {_rng.Below(32)}",
            9 => $"li {t}, 0x{_rng.Next():x}\ncsrrc {rd}, {_rng.Pick(["fflags", "frm", "fcsr"])}, {t}",
            _ => $"li {t}, 0x{_rng.Next() & 0x1F:x}\ncsrrs {rd}, {_rng.Pick(["fflags", "fcsr"])}, {t}",
        };
    }

    /// <summary>Puts a fresh interesting value in an f register, since results drift toward NaN and infinity.</summary>
    private string SetValue()
    {
        string t = Name(_rng.Pick(IntegerDestinations));
        return $"li {t}, 0x{RegisterValue():x}\nfmv.d.x {F()}, {t}";
    }

    /// <summary>A 64-bit f register value: a double, a NaN-boxed single, or a single whose boxing is broken.</summary>
    private ulong RegisterValue() => _rng.Below(10) switch
    {
        < 4 => _values.Double(),
        < 8 => 0xFFFF_FFFF_0000_0000 | _values.Single(),
        8 => (_rng.Next() << 32) | _values.Single(),
        _ => 0x7FFF_FFFF_0000_0000 | _values.Single(),
    };

    private string Width() => _rng.Chance(50) ? "s" : "d";

    private string Rm()
    {
        string mode = _rng.Pick(RoundingModes);
        return mode.Length == 0 ? "" : $", {mode}";
    }

    private string F() => FloatRegisterNames[_rng.Below(32)];

    private string X() => Name(_rng.Chance(4) ? 0 : _rng.Pick(IntegerDestinations));

    private string Source() => Name(_rng.Chance(5) ? 0 : _rng.Pick(IntegerDestinations));

    private static string Name(int register) => RegisterNames[register];
}
