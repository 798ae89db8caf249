using Osprey.Machine.Tests.Differential;
using Osprey.Machine.Tests.Float;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Jit;

/// <summary>
/// A random instruction stream for comparing the interpreter with the JIT: ALU and M
/// instructions (full and compressed), loads and stores of every width at aligned, misaligned
/// and page-crossing addresses, next to a read-only page and an unmapped one (so some fault),
/// atomics (some misaligned, some on the read-only page), LR/SC pairs, forward branches and
/// jumps, jalr, small counted loops (backward branches, so blocks are re-entered and chained),
/// counter reads, fences, fence.i, and traps: ecall, ebreak, illegal instructions. And F and
/// D: loads and stores of f registers at the same addresses as the integer ones, arithmetic
/// with every rounding mode (static, dynamic, reserved), moves and conversions between the
/// register files, compares and classifies into x registers, and writes of frm (some to an
/// invalid mode, so that dynamic-mode operations trap until the next) and of fflags.
///
/// Registers: s8, s9 and s10 hold base addresses near the read-only page, near the unmapped
/// page, and in the middle of the data; s11 counts loops; s7 is scratch for computed
/// addresses. Random instructions write only the others, so every loop ends and every jump
/// stays in the stream, which ends with an ebreak at <see cref="End"/>.
/// </summary>
internal sealed class FuzzStream
{
    public const ulong CodeVa = 0x10000;
    public const int CodePages = 4;
    public const ulong ReadOnlyVa = 0x3F000;
    public const ulong DataVa = 0x40000;
    public const int DataPages = 2;
    public const ulong UnmappedVa = DataVa + DataPages * 0x1000;

    public const int NearReadOnly = S8, NearUnmapped = S9, Middle = S10, Counter = S11, Scratch = S7;
    public static readonly ulong[] Bases = [DataVa + 0x80, UnmappedVa - 0x80, DataVa + 0x1000];

    private static readonly int[] Writable = [.. Enumerable.Range(1, 31).Where(r => r is not (S7 or S8 or S9 or S10 or S11))];

    private readonly SplitMix64 _rng;
    private readonly List<Item> _items = new();

    // For each item inside a loop (from its first body item to its branch back), the loop's
    // first item (the li of its counter): a forward jump that lands inside goes there instead,
    // so no loop is entered with a stale counter.
    private readonly Dictionary<int, int> _loopStart = new();

    private readonly FloatSamples _values;

    private FuzzStream(ulong seed)
    {
        _rng = new SplitMix64(seed);
        _values = new FloatSamples(seed ^ 0xF10A7);
    }

    /// <summary>The stream's bytes, to be placed at <see cref="Start"/>.</summary>
    public byte[] Code { get; private set; } = [];

    public ulong Start { get; private set; }

    /// <summary>The final ebreak.</summary>
    public ulong End { get; private set; }

    /// <summary>Initial values for x1..x31 (bases and counter included).</summary>
    public ulong[] Registers { get; } = new ulong[32];

    /// <summary>Initial values for f0..f31, from the interesting classes (<see cref="FloatSamples"/>).</summary>
    public ulong[] FloatRegisters { get; } = new ulong[32];

    /// <summary>Initial fcsr: a valid frm, no flags.</summary>
    public uint Fcsr { get; private set; }

    public static FuzzStream Generate(ulong seed, int items)
    {
        var s = new FuzzStream(seed);
        s.Build(items);
        return s;
    }

    // One item: one or more instructions laid out together; jumps name a later item.
    private sealed class Item
    {
        public List<(uint Bits, int Size)> Parts = new();
        public ulong Address;
        public Func<ulong, Func<int, ulong>, IEnumerable<(uint, int)>>? Late; // encodes once addresses are known
        public int Size => Parts.Sum(p => p.Size);
    }

    private void Build(int count)
    {
        for (int r = 1; r < 32; r++)
            Registers[r] = Interesting();
        Registers[NearReadOnly] = Bases[0];
        Registers[NearUnmapped] = Bases[1];
        Registers[Middle] = Bases[2];
        Registers[Counter] = 0;
        for (int f = 0; f < 32; f++)
            FloatRegisters[f] = FloatValue();
        Fcsr = (uint)Next(5) << 5;

        while (_items.Count < count)
        {
            int roll = Next(100);
            if (roll < 6)
                AddLoop();
            else
                AddItem();
        }
        // Lay out: start close enough to a page end that some streams straddle pages.
        Start = CodeVa + (ulong)(Next(2) == 0 ? 0x1000 - 2 * Next(300) : 2 * Next(200));
        ulong pc = Start;
        foreach (Item item in _items)
        {
            item.Address = pc;
            pc += (ulong)item.Size;
        }
        End = pc;
        ulong AddressOf(int index) =>
            index >= _items.Count ? End : _items[_loopStart.TryGetValue(index, out int start) ? start : index].Address;
        var code = new List<byte>();
        for (int i = 0; i < _items.Count; i++)
        {
            Item item = _items[i];
            IEnumerable<(uint Bits, int Size)> parts = item.Late != null ? item.Late(item.Address, AddressOf) : item.Parts;
            foreach ((uint bits, int size) in parts)
            {
                for (int b = 0; b < size; b++)
                    code.Add((byte)(bits >> (8 * b)));
            }
        }
        code.AddRange(BitConverter.GetBytes(Ebreak()));
        if (End + 4 - CodeVa > CodePages * 0x1000UL)
            throw new InvalidOperationException("fuzz stream too long for its code pages");
        Code = [.. code];
    }

    private void AddItem()
    {
        if (Next(100) < 15)
        {
            AddFloat();
            return;
        }
        int index = _items.Count;
        int roll = Next(100);
        if (roll < 22) Add(AluReg());
        else if (roll < 36) Add(AluImm());
        else if (roll < 46) AddCompressed();
        else if (roll < 58) Add(Load());
        else if (roll < 68) Add(Store());
        else if (roll < 72) AddAtomic();
        else if (roll < 74) AddLrSc();
        else if (roll < 80) AddBranch(index);
        else if (roll < 83) AddJal(index);
        else if (roll < 85) AddJalr(index);
        else if (roll < 88) Add(Upper());
        else if (roll < 91) Add(Rdinstret(Pick()));
        else if (roll < 92) Add(Rdcycle(Pick()));
        else if (roll < 93) Add(Next(4) == 0 ? FenceI() : Fence());
        else if (roll < 95) Add(Ecall());
        else if (roll < 96) Add(Next(2) == 0 ? Ebreak() : CEbreak());
        else Add(IllegalWord());
    }

    /// <summary>An F or D item: 1 in 3 a load or store, the rest operations and CSR accesses.</summary>
    private void AddFloat()
    {
        int roll = Next(100);
        if (roll < 18) Add(FloatLoad());
        else if (roll < 32) Add(FloatStore());
        else if (roll < 88) Add(FloatOperation());
        else if (roll < 94) Add(Fsrmi(Next(3) == 0 ? Zero : Pick(), Next(10) < 8 ? Next(5) : 5 + Next(3)));
        else if (roll < 97) Add(Frflags(Pick()));
        else Add(Next(2) == 0 ? Fsflags(Next(2) == 0 ? Zero : Pick(), AnyRegister()) : Frcsr(Pick()));
    }

    private uint FloatLoad()
    {
        (int b, int offset) = Address();
        return Next(2) == 0 ? Flw(Next(32), b, offset) : Fld(Next(32), b, offset);
    }

    private uint FloatStore()
    {
        (int b, int offset) = Address();
        return Next(2) == 0 ? Fsw(b, Next(32), offset) : Fsd(b, Next(32), offset);
    }

    // By where the result goes: an f register, an x register (so the x locals must be reloaded),
    // or an f register from an x source.
    private static readonly string[] FloatToFloat =
    [
        "fadd.d", "fsub.d", "fmul.d", "fdiv.d", "fsqrt.d", "fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d",
        "fmin.d", "fmax.d", "fsgnj.d", "fsgnjn.d", "fsgnjx.d",
        "fadd.s", "fsub.s", "fmul.s", "fdiv.s", "fsqrt.s", "fmadd.s", "fnmadd.s", "fmin.s", "fmax.s", "fsgnjx.s",
        "fcvt.s.d", "fcvt.d.s",
    ];

    private static readonly string[] FloatToInteger =
    [
        "feq.d", "flt.d", "fle.d", "feq.s", "flt.s", "fle.s", "fclass.d", "fclass.s",
        "fcvt.w.d", "fcvt.wu.d", "fcvt.l.d", "fcvt.lu.d", "fcvt.w.s", "fcvt.lu.s", "fmv.x.d", "fmv.x.w",
    ];

    private static readonly string[] IntegerToFloat =
        ["fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu", "fcvt.s.w", "fcvt.s.lu", "fmv.d.x", "fmv.w.x"];

    private uint FloatOperation()
    {
        // Mostly dyn, as compilers emit; some static modes; now and then a reserved one (illegal).
        int rm = Next(10) switch { < 6 => Dyn, < 9 => Next(5), _ => 5 + Next(2) };
        return Next(10) switch
        {
            < 6 => Fp(FloatToFloat[Next(FloatToFloat.Length)], Next(32), Next(32), Next(32), Next(32), rm),
            < 8 => Fp(FloatToInteger[Next(FloatToInteger.Length)], Pick(), Next(32), Next(32), 0, rm),
            _ => Fp(IntegerToFloat[Next(IntegerToFloat.Length)], Next(32), AnyRegister(), 0, 0, rm),
        };
    }

    /// <summary>A double, a NaN-boxed single, or (now and then) a single whose boxing is broken.</summary>
    private ulong FloatValue() => Next(10) switch
    {
        < 5 => _values.Double(),
        < 9 => FloatValues.Box | _values.Single(),
        _ => (_rng.Next() << 32 & 0x7FFF_FFFF_0000_0000) | _values.Single(),
    };

    /// <summary>li s11, n; body; addi s11, s11, -1; bnez s11, body: a loop that runs n times.</summary>
    private void AddLoop()
    {
        int start = _items.Count;
        Add(Li(Counter, 1 + Next(6)));
        int head = _items.Count;
        int body = 1 + Next(6);
        for (int i = 0; i < body; i++)
        {
            int roll = Next(10);
            if (roll < 4) Add(AluReg());
            else if (roll < 6) Add(Load());
            else if (roll < 8) Add(Store());
            else if (roll < 9) AddFloat();
            else AddCompressed();
        }
        Add(Addi(Counter, Counter, -1));
        var item = new Item { Parts = { (0, 4) } };
        item.Late = (at, _) => [(Bne(Counter, Zero, (int)((long)_items[head].Address - (long)at)), 4)];
        _items.Add(item);
        for (int i = head; i < _items.Count; i++)
            _loopStart[i] = start;
    }

    private void Add(uint bits) => _items.Add(new Item { Parts = { (bits, 4) } });

    private void Add(ushort bits) => _items.Add(new Item { Parts = { (bits, 2) } });

    private uint AluReg()
    {
        Func<int, int, int, uint>[] ops =
        [
            Support.Asm.Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Addw, Subw, Sllw, Srlw, Sraw,
            Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu, Mulw, Divw, Divuw, Remw, Remuw,
        ];
        return ops[Next(ops.Length)](Pick(), AnyRegister(), AnyRegister());
    }

    private uint AluImm()
    {
        int rd = Pick(), rs = AnyRegister();
        return Next(12) switch
        {
            0 => Addi(rd, rs, Imm12()),
            1 => Slti(rd, rs, Imm12()),
            2 => Sltiu(rd, rs, Imm12()),
            3 => Xori(rd, rs, Imm12()),
            4 => Ori(rd, rs, Imm12()),
            5 => Andi(rd, rs, Imm12()),
            6 => Slli(rd, rs, Next(64)),
            7 => Srli(rd, rs, Next(64)),
            8 => Srai(rd, rs, Next(64)),
            9 => Addiw(rd, rs, Imm12()),
            10 => Slliw(rd, rs, Next(32)),
            _ => Next(2) == 0 ? Srliw(rd, rs, Next(32)) : Sraiw(rd, rs, Next(32)),
        };
    }

    private uint Upper() => Next(2) == 0 ? Lui(Pick(), Next(1 << 20) - (1 << 19)) : Auipc(Pick(), Next(1 << 20) - (1 << 19));

    private void AddCompressed()
    {
        int rd = Pick(), prime = 8 + Next(8);
        bool primeWritable = Writable.Contains(prime);
        ushort bits = Next(9) switch
        {
            0 => CAddi(rd, Next(63) - 31 is int i && i != 0 ? i : 1),
            1 => CLi(rd, Next(64) - 32),
            2 => CMv(rd, NonZero()),
            3 => CAdd(rd, NonZero()),
            4 => CSlli(rd, 1 + Next(63)),
            5 when primeWritable => CSub(prime, 8 + Next(8)),
            6 when primeWritable => CXor(prime, 8 + Next(8)),
            7 when primeWritable => CSrai(prime, 1 + Next(63)),
            _ => CAddiw(rd, Next(64) - 32),
        };
        Add(bits);
    }

    private uint Load()
    {
        (int b, int offset) = Address();
        Func<int, int, int, uint>[] ops = [Lb, Lbu, Lh, Lhu, Lw, Lwu, Ld];
        return ops[Next(ops.Length)](Pick(), b, offset);
    }

    private uint Store()
    {
        (int b, int offset) = Address();
        Func<int, int, int, uint>[] ops = [Sb, Sh, Sw, Sd];
        return ops[Next(ops.Length)](b, AnyRegister(), offset);
    }

    /// <summary>A base register and offset: mostly near one of the three bases, sometimes anything.</summary>
    private (int Base, int Offset) Address()
    {
        int roll = Next(20);
        if (roll == 0)
            return (AnyRegister(), Imm12()); // almost always a fault
        int b = roll < 7 ? NearReadOnly : roll < 13 ? NearUnmapped : Middle;
        int offset = Next(4) == 0 ? Imm12() : Next(512) - 256;
        return (b, offset);
    }

    /// <summary>addi s7, base, offset; then an AMO or LR/SC on s7 (misaligned sometimes; on the read-only page sometimes).</summary>
    private void AddAtomic()
    {
        (int b, _) = Address();
        int offset = (Next(256) - 128) * 4 + (Next(8) == 0 ? 2 : 0);
        Add(Addi(Scratch, b == NearReadOnly || b == NearUnmapped || b == Middle ? b : Middle, offset));
        bool word = Next(2) == 0;
        Func<int, int, int, bool, bool, uint>[] w = [AmoswapW, AmoaddW, AmoxorW, AmoandW, AmoorW, AmominW, AmomaxW, AmominuW, AmomaxuW];
        Func<int, int, int, bool, bool, uint>[] d = [AmoswapD, AmoaddD, AmoxorD, AmoandD, AmoorD, AmominD, AmomaxD, AmominuD, AmomaxuD];
        var ops = word ? w : d;
        Add(ops[Next(ops.Length)](Pick(), Scratch, AnyRegister(), false, false));
    }

    private void AddLrSc()
    {
        Add(Addi(Scratch, Middle, (Next(32) - 16) * 8));
        bool word = Next(2) == 0;
        Add(word ? LrW(Pick(), Scratch) : LrD(Pick(), Scratch));
        if (Next(3) == 0)
            Add(AluReg());
        Add(word ? ScW(Pick(), Scratch, AnyRegister()) : ScD(Pick(), Scratch, AnyRegister()));
    }

    private void AddBranch(int index)
    {
        int target = index + 1 + Next(8);
        int rs1 = AnyRegister(), rs2 = Next(3) == 0 ? Zero : AnyRegister();
        Func<int, int, int, uint>[] ops = [Beq, Bne, Blt, Bge, Bltu, Bgeu];
        var op = ops[Next(ops.Length)];
        var item = new Item { Parts = { (0, 4) } };
        item.Late = (at, address) => [(op(rs1, rs2, (int)(address(target) - at)), 4)];
        _items.Add(item);
    }

    private void AddJal(int index)
    {
        int target = index + 1 + Next(6);
        int rd = Next(2) == 0 ? Zero : Pick();
        var item = new Item { Parts = { (0, 4) } };
        item.Late = (at, address) => [(Jal(rd, (int)(address(target) - at)), 4)];
        _items.Add(item);
    }

    /// <summary>auipc s7, 0; jalr rd, off(s7): a computed jump forward.</summary>
    private void AddJalr(int index)
    {
        int target = index + 1 + Next(6);
        int rd = Next(2) == 0 ? Zero : Pick();
        var item = new Item { Parts = { (0, 4), (0, 4) } };
        item.Late = (at, address) => [(Auipc(Scratch, 0), 4), (Jalr(rd, Scratch, (int)(address(target) - at)), 4)];
        _items.Add(item);
    }

    private uint IllegalWord() => Next(4) switch
    {
        0 => 0,                                  // all zeros (also the compressed c.unimp)
        1 => 0xFFFF_FFFF,
        2 => Csrrw(Pick(), CsrCycle, AnyRegister()), // a write to a read-only counter
        _ => Wfi(),                              // privileged
    };

    private int Pick() => Writable[Next(Writable.Length)];

    private int AnyRegister() => Next(32);

    private int NonZero() => 1 + Next(31);

    private int Imm12() => Next(4096) - 2048;

    private ulong Interesting() => Next(3) switch
    {
        0 => _rng.Next(),
        1 => (ulong)(long)(Next(200) - 100),
        _ => Next(2) == 0 ? 0x8000_0000_0000_0000UL >> Next(64) : ~0UL << Next(64),
    };

    private int Next(int bound) => (int)(_rng.Next() % (ulong)bound);
}
