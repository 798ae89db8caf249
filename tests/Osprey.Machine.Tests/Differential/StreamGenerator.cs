using System.Buffers.Binary;
using static Osprey.Machine.Tests.Differential.StreamLayout;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Generates random, terminating RV64IMAC instruction streams that touch memory only inside
/// their scratch buffer. Control flow only goes forward (branches and jumps to later items
/// or to the epilogue), so every stream ends; sp and s0 are never written, so every load,
/// store and atomic stays inside the scratch buffer.
/// </summary>
internal sealed class StreamGenerator
{
    /// <summary>Values where arithmetic tends to go wrong: signs, word boundaries, overflow.</summary>
    private static readonly ulong[] EdgeValues =
    [
        0, 1, ulong.MaxValue, 2, unchecked((ulong)-2L), unchecked((ulong)-16L), 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_8000_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x8000_0000_0000_0001,
        0x7FF, 0x800, unchecked((ulong)-2048L), 31, 32, 63, 64, 0xFFFF_FFFF_0000_0000, 0x0000_0001_8000_0000,
    ];

    private static readonly int[] EdgeImmediates = [0, 1, -1, 2, 2047, -2048, 2046, -2047, 1024, -1024, 31, 32];

    private static readonly string[] AluRegOps =
        ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw", "sraw"];

    private static readonly string[] AluImmOps = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"];

    private static readonly string[] MulDivOps =
    [
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw",
    ];

    private static readonly string[] AmoOps = ["swap", "add", "xor", "and", "or", "min", "max", "minu", "maxu"];

    private static readonly string[] Orderings = ["", ".aq", ".rl", ".aqrl"];

    private static readonly string[] BranchOps = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];

    private static readonly string[] Fences = ["fence", "fence rw, rw", "fence r, r", "fence w, w", "fence iorw, iorw", "fence.i"];

    private static readonly (string Load, int Size)[] Loads =
        [("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2), ("lw", 4), ("lwu", 4), ("ld", 8)];

    private static readonly (string Store, int Size)[] Stores = [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)];

    private enum Kind
    {
        AluReg, AluImm, Upper, MulDiv, DivEdge, Load, Store, Amo, LrSc, Branch, Jal, Jalr, Compressed, LoadImmediate, Fence,
    }

    // Weights are rough instruction-mix percentages; memory and compressed forms are generous
    // because they have the most encodings and corner cases.
    private static readonly (Kind Kind, int Weight)[] Mix =
    [
        (Kind.AluReg, 13), (Kind.AluImm, 13), (Kind.Upper, 3), (Kind.MulDiv, 10), (Kind.DivEdge, 2),
        (Kind.Load, 10), (Kind.Store, 9), (Kind.Amo, 5), (Kind.LrSc, 3), (Kind.Branch, 6), (Kind.Jal, 2),
        (Kind.Jalr, 2), (Kind.Compressed, 16), (Kind.LoadImmediate, 4), (Kind.Fence, 1),
    ];

    private static readonly int TotalWeight = Mix.Sum(m => m.Weight);

    // How many items a jump may pass over. Items are at most 68 bytes (two 64-bit li and a
    // division), so 40 stay inside a branch's +-4 KiB; compressed jumps that would not reach
    // are widened afterwards (KeepCompressedJumpsInRange).
    private const int ShortReach = 6;
    private const int LongReach = 40;

    private readonly SplitMix64 _rng;
    private readonly int _length;

    private StreamGenerator(ulong seed, int length)
    {
        _rng = new SplitMix64(seed);
        _length = length;
    }

    /// <summary>The seed of stream <paramref name="index"/> of a run seeded with <paramref name="runSeed"/>.</summary>
    public static ulong SeedFor(ulong runSeed, int index) => new SplitMix64(runSeed ^ ((ulong)index << 32)).Next();

    public static RandomStream Generate(ulong seed, int index, int length)
    {
        var g = new StreamGenerator(seed, length);
        var registers = new ulong[32];
        foreach (int r in Destinations)
            registers[r] = g.Value64();
        var scratch = new byte[ScratchBytes];
        for (int i = 0; i < scratch.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(scratch.AsSpan(i), g._rng.Chance(20) ? g._rng.Pick(EdgeValues) : g._rng.Next());
        var items = new StreamItem[length];
        for (int i = 0; i < length; i++)
            items[i] = g.Item(i);
        KeepCompressedJumpsInRange(items);
        return new RandomStream(seed, index, registers, scratch, items);
    }

    /// <summary>
    /// Targets are chosen before the items between are known, so a compressed jump can end up
    /// further than its encoding reaches (c.beqz/c.bnez +-256 bytes, c.j +-2 KiB), which the
    /// assembler rejects. Those become their full-size forms, judged by a worst-case size of
    /// every item, so the outcome depends only on the seed.
    /// </summary>
    private static void KeepCompressedJumpsInRange(StreamItem[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            StreamItem item = items[i];
            int reach = item.Text.StartsWith("c.j ", StringComparison.Ordinal) ? 2046
                : item.Text.StartsWith("c.beqz ", StringComparison.Ordinal) || item.Text.StartsWith("c.bnez ", StringComparison.Ordinal) ? 254
                : int.MaxValue;
            if (reach == int.MaxValue)
                continue;
            int span = 0;
            for (int j = i; j < item.Target; j++)
                span += MaxBytes(items[j]);
            if (span > reach)
                items[i] = item with { Text = item.Text[2..] };
        }
    }

    /// <summary>An upper bound on an item's size: li expands to at most 8 instructions, lla to 2.</summary>
    private static int MaxBytes(StreamItem item) => item.Text.Split('\n').Sum(line =>
        line.StartsWith("li ", StringComparison.Ordinal) ? 32 : line.StartsWith("lla ", StringComparison.Ordinal) ? 8 : 4);

    private StreamItem Item(int i)
    {
        Kind kind = _rng.PickWeighted(Mix, TotalWeight);
        return kind switch
        {
            Kind.AluReg => new(AluReg(-1)),
            Kind.AluImm => new(AluImm()),
            Kind.Upper => new($"{(_rng.Chance(50) ? "lui" : "auipc")} {Dest()}, 0x{Upper20():x}"),
            Kind.MulDiv => new($"{_rng.Pick(MulDivOps)} {Dest()}, {Src()}, {(_rng.Chance(10) ? "zero" : Src())}"),
            Kind.DivEdge => new(DivEdge()),
            Kind.Load => new(Load()),
            Kind.Store => new(Store()),
            Kind.Amo => new(Amo()),
            Kind.LrSc => new(LrSc()),
            Kind.Branch => Branch(i),
            Kind.Jal => new($"jal {Dest()}, {StreamItem.TargetPlaceholder}", Target(i, LongReach)),
            Kind.Jalr => Jalr(i),
            Kind.Compressed => Compressed(i),
            Kind.LoadImmediate => new($"li {Name(_rng.Pick(Destinations))}, 0x{Value64():x}"),
            _ => new(_rng.Pick(Fences)),
        };
    }

    /// <summary>An R-type ALU instruction whose destination is not <paramref name="avoid"/>.</summary>
    private string AluReg(int avoid)
    {
        int rd;
        do rd = DestNumber(); while (rd == avoid);
        return $"{_rng.Pick(AluRegOps)} {Name(rd)}, {Src()}, {Src()}";
    }

    private string AluImm()
    {
        return _rng.Below(4) switch
        {
            0 => $"{_rng.Pick(["slli", "srli", "srai"])} {Dest()}, {Src()}, {_rng.Between(0, 63)}",
            1 => $"{_rng.Pick(["slliw", "srliw", "sraiw"])} {Dest()}, {Src()}, {_rng.Between(0, 31)}",
            _ => $"{_rng.Pick(AluImmOps)} {Dest()}, {Src()}, {Imm12()}",
        };
    }

    /// <summary>
    /// Division by zero and the one signed overflow, including the W forms with junk in the
    /// upper halves, which the W instructions must ignore (a divisor of 2^32 is zero to DIVW).
    /// </summary>
    private string DivEdge()
    {
        int a = _rng.Pick(Destinations), b;
        do b = _rng.Pick(Destinations); while (b == a);
        ulong junk = _rng.Chance(50) ? 0 : _rng.Next() << 32;
        (string op, ulong dividend, ulong divisor) = _rng.Below(4) switch
        {
            0 => (_rng.Pick(["div", "rem"]), 0x8000_0000_0000_0000UL, ulong.MaxValue),
            1 => (_rng.Pick(["divw", "remw"]), junk | 0x8000_0000, junk | 0xFFFF_FFFF),
            2 => (_rng.Pick(["div", "divu", "rem", "remu"]), _rng.Next(), 0UL),
            _ => (_rng.Pick(["divw", "divuw", "remw", "remuw"]), _rng.Next(), junk),
        };
        return $"li {Name(a)}, 0x{dividend:x}\nli {Name(b)}, 0x{divisor:x}\n{op} {Dest()}, {Name(a)}, {Name(b)}";
    }

    private string Load()
    {
        (string op, int size) = _rng.Pick(Loads);
        (string b, int offset) = Address(size, misaligned: _rng.Chance(25));
        return $"{op} {Dest()}, {offset}({b})";
    }

    private string Store()
    {
        (string op, int size) = _rng.Pick(Stores);
        (string b, int offset) = Address(size, misaligned: _rng.Chance(25));
        return $"{op} {Src()}, {offset}({b})";
    }

    private string Amo()
    {
        int size = _rng.Chance(50) ? 4 : 8;
        string t = Name(_rng.Pick(Destinations));
        (string b, int offset) = Address(size, misaligned: false);
        return $"addi {t}, {b}, {offset}\namo{_rng.Pick(AmoOps)}.{Width(size)}{_rng.Pick(Orderings)} {Dest()}, {Src()}, ({t})";
    }

    /// <summary>
    /// An LR and its SC, sometimes with ALU work, a store to the reserved word or an SC to
    /// another address in between, or an SC with no LR at all. Every LR's SC is in the same
    /// item, so no reservation is outstanding between items and every prefix behaves alike.
    /// </summary>
    private string LrSc()
    {
        int size = _rng.Chance(50) ? 4 : 8;
        string w = Width(size);
        int t = _rng.Pick(Destinations);
        (string b, int offset) = Address(size, misaligned: false);
        var lines = new List<string> { $"addi {Name(t)}, {b}, {offset}" };
        if (_rng.Chance(10))
        {
            lines.Add($"sc.{w} {Dest()}, {Src()}, ({Name(t)})");
            return string.Join('\n', lines);
        }
        int rd;
        do rd = _rng.Pick(Destinations); while (rd == t);
        lines.Add($"lr.{w}{_rng.Pick(Orderings)} {Name(rd)}, ({Name(t)})");
        int between = _rng.Between(0, 2);
        for (int k = 0; k < between; k++)
            lines.Add(AluReg(t));
        if (_rng.Chance(20))
            lines.Add(_rng.Chance(50) ? $"s{w} {Src()}, 0({Name(t)})" : $"sb {Src()}, 1({Name(t)})");
        string address = Name(t);
        if (_rng.Chance(15))
        {
            int t2;
            do t2 = _rng.Pick(Destinations); while (t2 == t);
            (string b2, int offset2) = Address(size, misaligned: false);
            lines.Add($"addi {Name(t2)}, {b2}, {offset2}");
            address = Name(t2);
        }
        lines.Add($"sc.{w}{_rng.Pick(Orderings)} {Dest()}, {Src()}, ({address})");
        return string.Join('\n', lines);
    }

    private StreamItem Branch(int i)
    {
        string rs1 = Src();
        string rs2 = _rng.Chance(15) ? rs1 : Src();
        return new($"{_rng.Pick(BranchOps)} {rs1}, {rs2}, {StreamItem.TargetPlaceholder}", Target(i, LongReach));
    }

    /// <summary>An indirect jump to a later item through a register loaded with its address.</summary>
    private StreamItem Jalr(int i)
    {
        string t = Name(_rng.Pick(Destinations));
        string load = $"lla {t}, {StreamItem.TargetPlaceholder}\n";
        int bias = _rng.Between(-2000, 2000);
        string text = _rng.Below(5) switch
        {
            0 => $"{load}jalr {Dest()}, 0({t})",
            // JALR clears bit 0 of the target.
            1 => $"{load}addi {t}, {t}, 1\njalr {Dest()}, 0({t})",
            2 => $"{load}addi {t}, {t}, {-bias}\njalr {Dest()}, {bias}({t})",
            3 => $"{load}c.jr {t}",
            _ => $"{load}c.jalr {t}",
        };
        return new(text, Target(i, LongReach));
    }

    /// <summary>Explicit C-extension forms, so they are tested even where the assembler would not pick them.</summary>
    private StreamItem Compressed(int i)
    {
        string rd = Name(_rng.Pick(Destinations));
        string rdc = Name(_rng.Between(9, 15));
        string rsc = Name(_rng.Between(8, 15));
        return _rng.Below(23) switch
        {
            0 => new($"c.addi {rd}, {NonZero(-32, 31)}"),
            1 => new($"c.addiw {rd}, {_rng.Between(-32, 31)}"),
            2 => new($"c.li {rd}, {_rng.Between(-32, 31)}"),
            3 => new($"c.lui {NotSp(rd)}, 0x{(_rng.Chance(50) ? _rng.Between(1, 31) : _rng.Between(0xFFFE0, 0xFFFFF)):x}"),
            4 => new($"c.slli {rd}, {_rng.Between(1, 63)}"),
            5 => new($"c.srli {rdc}, {_rng.Between(1, 63)}"),
            6 => new($"c.srai {rdc}, {_rng.Between(1, 63)}"),
            7 => new($"c.andi {rdc}, {_rng.Between(-32, 31)}"),
            8 => new($"c.{_rng.Pick(["sub", "xor", "or", "and", "subw", "addw"])} {rdc}, {rsc}"),
            9 => new($"c.mv {rd}, {Name(_rng.Between(1, 31))}"),
            10 => new($"c.add {rd}, {Name(_rng.Between(1, 31))}"),
            11 => new($"c.lw {rdc}, {4 * _rng.Between(0, 31)}(s0)"),
            12 => new($"c.ld {rdc}, {8 * _rng.Between(0, 31)}(s0)"),
            13 => new($"c.sw {rsc}, {4 * _rng.Between(0, 31)}(s0)"),
            14 => new($"c.sd {rsc}, {8 * _rng.Between(0, 31)}(s0)"),
            15 => new($"c.lwsp {rd}, {4 * _rng.Between(0, 63)}(sp)"),
            16 => new($"c.ldsp {rd}, {8 * _rng.Between(0, 63)}(sp)"),
            17 => new($"c.swsp {Name(_rng.Between(0, 31))}, {4 * _rng.Between(0, 63)}(sp)"),
            18 => new($"c.sdsp {Name(_rng.Between(0, 31))}, {8 * _rng.Between(0, 63)}(sp)"),
            19 => new($"c.addi4spn {rdc}, sp, {4 * _rng.Between(1, 255)}"),
            20 => new("c.nop"),
            21 => new($"c.j {StreamItem.TargetPlaceholder}", Target(i, LongReach)),
            _ => new($"c.{(_rng.Chance(50) ? "beqz" : "bnez")} {rsc}, {StreamItem.TargetPlaceholder}", Target(i, ShortReach)),
        };
    }

    private string NotSp(string rd) => rd == "sp" ? "a0" : rd;

    private int NonZero(int min, int max)
    {
        int v;
        do v = _rng.Between(min, max); while (v == 0);
        return v;
    }

    /// <summary>
    /// A later item to jump to. Mostly near, so that most of a stream still executes (each
    /// taken jump skips what it passes over), sometimes as far as <paramref name="reach"/>.
    /// </summary>
    private int Target(int i, int reach) => i + _rng.Between(1, Math.Min(_rng.Chance(80) ? Math.Min(reach, 4) : reach, _length - i));

    /// <summary>
    /// A scratch address for an access of <paramref name="size"/> bytes, as base register and
    /// offset. Misaligned addresses are allowed for plain loads and stores: the specification
    /// lets an execution environment perform them, Linux (via trap emulation) and
    /// qemu-riscv64 do, and so does Osprey's machine.
    /// </summary>
    private (string Base, int Offset) Address(int size, bool misaligned) => ScratchAddress(_rng, size, misaligned);

    /// <summary><see cref="Address"/> for other generators: a base register (sp or s0) and offset inside the scratch buffer.</summary>
    internal static (string Base, int Offset) ScratchAddress(SplitMix64 rng, int size, bool misaligned)
    {
        int a = misaligned ? rng.Between(0, ScratchBytes - size) : size * rng.Below(ScratchBytes / size);
        return rng.Chance(50) ? ("sp", a) : ("s0", a - S0Offset);
    }

    private static string Width(int size) => size == 4 ? "w" : "d";

    private int DestNumber() => _rng.Chance(3) ? 0 : _rng.Pick(Destinations);

    private string Dest() => Name(DestNumber());

    private string Src() => Name(_rng.Chance(6) ? 0 : _rng.Between(1, 31));

    private static string Name(int register) => RegisterNames[register];

    private int Imm12() => _rng.Chance(25) ? _rng.Pick(EdgeImmediates) : _rng.Between(-2048, 2047);

    private int Upper20() => _rng.Chance(20) ? _rng.Pick([0, 1, 0x7FFFF, 0x80000, 0xFFFFF]) : _rng.Below(1 << 20);

    private ulong Value64() => IntegerValue(_rng);

    /// <summary>A 64-bit register value, often one of the edge values.</summary>
    internal static ulong IntegerValue(SplitMix64 rng) => rng.Below(10) switch
    {
        < 4 => rng.Pick(EdgeValues),
        4 => (ulong)(long)(int)rng.Next(),
        5 => (ulong)(long)rng.Between(-16, 16),
        _ => rng.Next(),
    };
}
