using System.Diagnostics;
using System.Text;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// The conformance tests are only as good as the encoder that builds their instructions, so
/// this checks a sample covering every format, every immediate layout and the extremes of each
/// immediate against the GNU assembler.
/// </summary>
public sealed class EncoderCrossCheckTests
{
    private static readonly (string Text, uint Word)[] Wide =
    [
        ("lui a0, 0x80000", Lui(A0, 0x80000)),
        ("lui t6, 0xfffff", Lui(T6, 0xFFFFF)),
        ("auipc ra, 0x12345", Auipc(Ra, 0x12345)),
        ("jal ra, .+0xffffe", Jal(Ra, 0xFFFFE)),
        ("jal zero, .-0x100000", Jal(Zero, -0x100000)),
        ("jal a5, .+0x802", Jal(A5, 0x802)),
        ("jalr t0, -2048(a1)", Jalr(T0, A1, -2048)),
        ("jalr zero, 2047(ra)", Jalr(Zero, Ra, 2047)),
        ("beq a0, a1, .+4094", Beq(A0, A1, 4094)),
        ("bne t1, t2, .-4096", Bne(T1, T2, -4096)),
        ("blt s0, s11, .+0x800", Blt(S0, S11, 0x800)),
        ("bge x31, x1, .-2", Bge(T6, Ra, -2)),
        ("bltu a2, zero, .+0x1e", Bltu(A2, Zero, 0x1E)),
        ("bgeu zero, a3, .+0x7e0", Bgeu(Zero, A3, 0x7E0)),
        ("lb a0, -1(sp)", Lb(A0, Sp, -1)),
        ("lh t0, 2047(t1)", Lh(T0, T1, 2047)),
        ("lw a4, -2048(gp)", Lw(A4, Gp, -2048)),
        ("ld s1, 8(s2)", Ld(S1, S2, 8)),
        ("lbu t3, 0(t4)", Lbu(T3, T4, 0)),
        ("lhu a6, 100(a7)", Lhu(A6, A7, 100)),
        ("lwu s10, -16(s9)", Lwu(S10, S9, -16)),
        ("sb a0, -1(sp)", Sb(Sp, A0, -1)),
        ("sh t5, 2047(a2)", Sh(A2, T5, 2047)),
        ("sw ra, -2048(s3)", Sw(S3, Ra, -2048)),
        ("sd t6, 0x7e0(tp)", Sd(Tp, T6, 0x7E0)),
        ("addi a0, a0, -2048", Addi(A0, A0, -2048)),
        ("slti t0, a1, 2047", Slti(T0, A1, 2047)),
        ("sltiu t1, a2, -1", Sltiu(T1, A2, -1)),
        ("xori a3, a4, 0x555", Xori(A3, A4, 0x555)),
        ("ori s4, s5, -0x556", Ori(S4, S5, -0x556)),
        ("andi s6, s7, 0x7f", Andi(S6, S7, 0x7F)),
        ("slli a0, a1, 63", Slli(A0, A1, 63)),
        ("srli t2, t3, 32", Srli(T2, T3, 32)),
        ("srai s8, s9, 1", Srai(S8, S9, 1)),
        ("srai a0, a0, 63", Srai(A0, A0, 63)),
        ("add a0, a1, a2", Add(A0, A1, A2)),
        ("sub t0, t1, t2", Sub(T0, T1, T2)),
        ("sll s0, s1, a0", Sll(S0, S1, A0)),
        ("slt a3, a4, a5", Slt(A3, A4, A5)),
        ("sltu a6, a7, s2", Sltu(A6, A7, S2)),
        ("xor s3, s4, s5", Xor(S3, S4, S5)),
        ("srl s6, s7, s8", Srl(S6, S7, S8)),
        ("sra s9, s10, s11", Sra(S9, S10, S11)),
        ("or t3, t4, t5", Or(T3, T4, T5)),
        ("and t6, ra, sp", And(T6, Ra, Sp)),
        ("addiw a0, a1, -1", Addiw(A0, A1, -1)),
        ("slliw a2, a3, 31", Slliw(A2, A3, 31)),
        ("srliw a4, a5, 1", Srliw(A4, A5, 1)),
        ("sraiw a6, a7, 31", Sraiw(A6, A7, 31)),
        ("addw s0, s1, s2", Addw(S0, S1, S2)),
        ("subw s3, s4, s5", Subw(S3, S4, S5)),
        ("sllw s6, s7, s8", Sllw(S6, S7, S8)),
        ("srlw s9, s10, s11", Srlw(S9, S10, S11)),
        ("sraw t3, t4, t5", Sraw(T3, T4, T5)),
        ("fence", Fence()),
        ("fence rw, w", Fence(0x3, 0x1)),
        ("fence i, o", Fence(0x8, 0x4)),
        ("fence.tso", FenceTso()),
        ("fence.i", FenceI()),
        ("ecall", Ecall()),
        ("ebreak", Ebreak()),
        ("mul a0, a1, a2", Mul(A0, A1, A2)),
        ("mulh a3, a4, a5", Mulh(A3, A4, A5)),
        ("mulhsu t0, t1, t2", Mulhsu(T0, T1, T2)),
        ("mulhu s0, s1, s2", Mulhu(S0, S1, S2)),
        ("div s3, s4, s5", Div(S3, S4, S5)),
        ("divu s6, s7, s8", Divu(S6, S7, S8)),
        ("rem s9, s10, s11", Rem(S9, S10, S11)),
        ("remu t3, t4, t5", Remu(T3, T4, T5)),
        ("mulw a0, a1, a2", Mulw(A0, A1, A2)),
        ("divw a3, a4, a5", Divw(A3, A4, A5)),
        ("divuw a6, a7, t6", Divuw(A6, A7, T6)),
        ("remw t0, t1, t2", Remw(T0, T1, T2)),
        ("remuw s0, s1, ra", Remuw(S0, S1, Ra)),
        ("lr.w a0, (a1)", LrW(A0, A1)),
        ("lr.d.aq t0, (t1)", LrD(T0, T1, aq: true)),
        ("sc.w a2, a3, (a4)", ScW(A2, A4, A3)),
        ("sc.d.rl a5, a6, (a7)", ScD(A5, A7, A6, rl: true)),
        ("amoswap.w.aq t0, t1, (t2)", AmoswapW(T0, T2, T1, aq: true)),
        ("amoswap.d.aqrl s0, s1, (s2)", AmoswapD(S0, S2, S1, aq: true, rl: true)),
        ("amoadd.w a0, a1, (a2)", AmoaddW(A0, A2, A1)),
        ("amoadd.d zero, a1, (a2)", AmoaddD(Zero, A2, A1)),
        ("amoxor.w a3, a4, (a5)", AmoxorW(A3, A5, A4)),
        ("amoxor.d a3, a4, (a5)", AmoxorD(A3, A5, A4)),
        ("amoand.w s3, s4, (s5)", AmoandW(S3, S5, S4)),
        ("amoand.d s3, s4, (s5)", AmoandD(S3, S5, S4)),
        ("amoor.w.rl t3, t4, (t5)", AmoorW(T3, T5, T4, rl: true)),
        ("amoor.d t3, t4, (t5)", AmoorD(T3, T5, T4)),
        ("amomin.w a0, a1, (a2)", AmominW(A0, A2, A1)),
        ("amomin.d a0, a1, (a2)", AmominD(A0, A2, A1)),
        ("amomax.w a0, a1, (a2)", AmomaxW(A0, A2, A1)),
        ("amomax.d a0, a1, (a2)", AmomaxD(A0, A2, A1)),
        ("amominu.w a0, a1, (a2)", AmominuW(A0, A2, A1)),
        ("amominu.d a0, a1, (a2)", AmominuD(A0, A2, A1)),
        ("amomaxu.w a0, a1, (a2)", AmomaxuW(A0, A2, A1)),
        ("amomaxu.d a0, a1, (a2)", AmomaxuD(A0, A2, A1)),
        ("csrrw a0, 0xc00, a1", Csrrw(A0, CsrCycle, A1)),
        ("csrrs a0, 0xc01, zero", Csrrs(A0, CsrTime, Zero)),
        ("csrrc t0, 0xc02, t1", Csrrc(T0, CsrInstret, T1)),
        ("csrrwi a0, 0x123, 31", Csrrwi(A0, 0x123, 31)),
        ("csrrsi a0, 0xfff, 1", Csrrsi(A0, 0xFFF, 1)),
        ("csrrci zero, 0x001, 0", Csrrci(Zero, 0x001, 0)),
        ("rdcycle a0", Rdcycle(A0)),
        ("rdtime a1", Rdtime(A1)),
        ("rdinstret a2", Rdinstret(A2)),
        ("sret", Sret()),
        ("mret", Mret()),
        ("wfi", Wfi()),
        ("sfence.vma a0, a1", SfenceVma(A0, A1)),

        // F and D: every mnemonic, every rounding mode spelling, registers at both ends.
        ("flw f1, -2048(a0)", Flw(1, A0, -2048)),
        ("fld f31, 2047(sp)", Fld(31, Sp, 2047)),
        ("fsw f0, -1(t6)", Fsw(T6, 0, -1)),
        ("fsd f17, 8(s0)", Fsd(S0, 17, 8)),
        ("fadd.s f1, f2, f3, rne", Fp("fadd.s", 1, 2, 3, rm: Rne)),
        ("fadd.d f31, f0, f15", Fp("fadd.d", 31, 0, 15)),
        ("fsub.s f4, f5, f6, rtz", Fp("fsub.s", 4, 5, 6, rm: Rtz)),
        ("fsub.d f7, f8, f9, rdn", Fp("fsub.d", 7, 8, 9, rm: Rdn)),
        ("fmul.s f10, f11, f12, rup", Fp("fmul.s", 10, 11, 12, rm: Rup)),
        ("fmul.d f13, f14, f15, rmm", Fp("fmul.d", 13, 14, 15, rm: Rmm)),
        ("fdiv.s f16, f17, f18, dyn", Fp("fdiv.s", 16, 17, 18)),
        ("fdiv.d f19, f20, f21, rtz", Fp("fdiv.d", 19, 20, 21, rm: Rtz)),
        ("fsqrt.s f22, f23, rdn", Fp("fsqrt.s", 22, 23, rm: Rdn)),
        ("fsqrt.d f24, f25", Fp("fsqrt.d", 24, 25)),
        ("fmadd.s f1, f2, f3, f4, rne", Fp("fmadd.s", 1, 2, 3, 4, Rne)),
        ("fmadd.d f31, f30, f29, f28", Fp("fmadd.d", 31, 30, 29, 28)),
        ("fmsub.s f5, f6, f7, f8, rup", Fp("fmsub.s", 5, 6, 7, 8, Rup)),
        ("fmsub.d f9, f10, f11, f12, rmm", Fp("fmsub.d", 9, 10, 11, 12, Rmm)),
        ("fnmsub.s f13, f14, f15, f16, rtz", Fp("fnmsub.s", 13, 14, 15, 16, Rtz)),
        ("fnmsub.d f17, f18, f19, f20", Fp("fnmsub.d", 17, 18, 19, 20)),
        ("fnmadd.s f21, f22, f23, f24, rdn", Fp("fnmadd.s", 21, 22, 23, 24, Rdn)),
        ("fnmadd.d f25, f26, f27, f31, rne", Fp("fnmadd.d", 25, 26, 27, 31, Rne)),
        ("fsgnj.s f1, f2, f3", Fp("fsgnj.s", 1, 2, 3)),
        ("fsgnjn.d f4, f5, f6", Fp("fsgnjn.d", 4, 5, 6)),
        ("fsgnjx.s f7, f8, f9", Fp("fsgnjx.s", 7, 8, 9)),
        ("fsgnjx.d f10, f11, f12", Fp("fsgnjx.d", 10, 11, 12)),
        ("fmin.s f1, f2, f3", Fp("fmin.s", 1, 2, 3)),
        ("fmax.d f4, f5, f6", Fp("fmax.d", 4, 5, 6)),
        ("feq.s a0, f1, f2", Fp("feq.s", A0, 1, 2)),
        ("flt.d t6, f31, f0", Fp("flt.d", T6, 31, 0)),
        ("fle.s zero, f3, f4", Fp("fle.s", Zero, 3, 4)),
        ("fclass.s a1, f5", Fp("fclass.s", A1, 5)),
        ("fclass.d a2, f6", Fp("fclass.d", A2, 6)),
        ("fcvt.w.s a0, f1, rtz", Fp("fcvt.w.s", A0, 1, rm: Rtz)),
        ("fcvt.wu.s a1, f2, rne", Fp("fcvt.wu.s", A1, 2, rm: Rne)),
        ("fcvt.l.s a2, f3, rdn", Fp("fcvt.l.s", A2, 3, rm: Rdn)),
        ("fcvt.lu.s a3, f4, rup", Fp("fcvt.lu.s", A3, 4, rm: Rup)),
        ("fcvt.w.d a4, f5, rmm", Fp("fcvt.w.d", A4, 5, rm: Rmm)),
        ("fcvt.wu.d a5, f6", Fp("fcvt.wu.d", A5, 6)),
        ("fcvt.l.d a6, f7, rtz", Fp("fcvt.l.d", A6, 7, rm: Rtz)),
        ("fcvt.lu.d a7, f8, rtz", Fp("fcvt.lu.d", A7, 8, rm: Rtz)),
        ("fcvt.s.w f1, a0, rne", Fp("fcvt.s.w", 1, A0, rm: Rne)),
        ("fcvt.s.wu f2, a1, rtz", Fp("fcvt.s.wu", 2, A1, rm: Rtz)),
        ("fcvt.s.l f3, a2", Fp("fcvt.s.l", 3, A2)),
        ("fcvt.s.lu f4, a3, rup", Fp("fcvt.s.lu", 4, A3, rm: Rup)),
        ("fcvt.d.w f5, a4", Fp("fcvt.d.w", 5, A4, rm: Rne)),
        ("fcvt.d.wu f6, a5", Fp("fcvt.d.wu", 6, A5, rm: Rne)),
        ("fcvt.d.l f7, a6, rdn", Fp("fcvt.d.l", 7, A6, rm: Rdn)),
        ("fcvt.d.lu f8, a7, rmm", Fp("fcvt.d.lu", 8, A7, rm: Rmm)),
        ("fcvt.s.d f9, f10, rtz", Fp("fcvt.s.d", 9, 10, rm: Rtz)),
        ("fcvt.d.s f11, f12", Fp("fcvt.d.s", 11, 12, rm: Rne)),
        ("fmv.x.w a0, f1", Fp("fmv.x.w", A0, 1)),
        ("fmv.x.d t6, f31", Fp("fmv.x.d", T6, 31)),
        ("fmv.w.x f2, a1", Fp("fmv.w.x", 2, A1)),
        ("fmv.d.x f0, zero", Fp("fmv.d.x", 0, Zero)),
        ("frflags a0", Frflags(A0)),
        ("fsflags a1, a2", Fsflags(A1, A2)),
        ("frrm a3", Frrm(A3)),
        ("fsrm a4, a5", Fsrm(A4, A5)),
        ("fsrmi a6, 4", Fsrmi(A6, 4)),
        ("frcsr a7", Frcsr(A7)),
        ("fscsr t0, t1", Fscsr(T0, T1)),
    ];

    private static readonly (string Text, ushort Half)[] Compressed =
    [
        ("c.addi4spn s0, sp, 4", CAddi4spn(S0, 4)),
        ("c.addi4spn a5, sp, 1020", CAddi4spn(A5, 1020)),
        ("c.addi4spn a0, sp, 0x2a8", CAddi4spn(A0, 0x2A8)),
        ("c.lw a0, 124(a1)", CLw(A0, A1, 124)),
        ("c.lw s1, 4(s0)", CLw(S1, S0, 4)),
        ("c.lw a2, 64(a3)", CLw(A2, A3, 64)),
        ("c.ld a4, 248(a5)", CLd(A4, A5, 248)),
        ("c.ld s0, 0x88(s1)", CLd(S0, S1, 0x88)),
        ("c.sw a0, 124(a1)", CSw(A1, A0, 124)),
        ("c.sw s1, 68(s0)", CSw(S0, S1, 68)),
        ("c.sd a4, 248(a5)", CSd(A5, A4, 248)),
        ("c.sd s0, 0x48(s1)", CSd(S1, S0, 0x48)),
        ("c.nop", CNop()),
        ("c.addi a0, -32", CAddi(A0, -32)),
        ("c.addi t6, 31", CAddi(T6, 31)),
        ("c.addiw a1, -1", CAddiw(A1, -1)),
        ("c.addiw s0, 0", CAddiw(S0, 0)),
        ("c.li a2, -32", CLi(A2, -32)),
        ("c.li ra, 17", CLi(Ra, 17)),
        ("c.addi16sp sp, -512", CAddi16sp(-512)),
        ("c.addi16sp sp, 496", CAddi16sp(496)),
        ("c.addi16sp sp, 0x50", CAddi16sp(0x50)),
        ("c.addi16sp sp, 0x1a0", CAddi16sp(0x1A0)),
        ("c.lui a0, 1", CLui(A0, 1)),
        ("c.lui t0, 0x1f", CLui(T0, 31)),
        ("c.lui s11, 0xfffe0", CLui(S11, -32)),
        ("c.lui a3, 0xfffff", CLui(A3, -1)),
        ("c.srli a0, 1", CSrli(A0, 1)),
        ("c.srli s1, 63", CSrli(S1, 63)),
        ("c.srai a5, 32", CSrai(A5, 32)),
        ("c.srai s0, 31", CSrai(S0, 31)),
        ("c.andi a1, -32", CAndi(A1, -32)),
        ("c.andi a2, 31", CAndi(A2, 31)),
        ("c.sub a0, a1", CSub(A0, A1)),
        ("c.xor s0, a5", CXor(S0, A5)),
        ("c.or a2, a3", COr(A2, A3)),
        ("c.and a4, s1", CAnd(A4, S1)),
        ("c.subw a0, a1", CSubw(A0, A1)),
        ("c.addw a5, s0", CAddw(A5, S0)),
        ("c.j .+2046", CJ(2046)),
        ("c.j .-2048", CJ(-2048)),
        ("c.j .+0x2aa", CJ(0x2AA)),
        ("c.j .-0x556", CJ(-0x556)),
        ("c.beqz a0, .+254", CBeqz(A0, 254)),
        ("c.beqz s1, .-256", CBeqz(S1, -256)),
        ("c.bnez a5, .+0x2a", CBnez(A5, 0x2A)),
        ("c.bnez s0, .-0x56", CBnez(S0, -0x56)),
        ("c.slli a0, 1", CSlli(A0, 1)),
        ("c.slli t6, 63", CSlli(T6, 63)),
        ("c.slli ra, 32", CSlli(Ra, 32)),
        ("c.lwsp a0, 252(sp)", CLwsp(A0, 252)),
        ("c.lwsp ra, 0xa4(sp)", CLwsp(Ra, 0xA4)),
        ("c.ldsp a1, 504(sp)", CLdsp(A1, 504)),
        ("c.ldsp t0, 0x148(sp)", CLdsp(T0, 0x148)),
        ("c.swsp a2, 252(sp)", CSwsp(A2, 252)),
        ("c.swsp ra, 0x84(sp)", CSwsp(Ra, 0x84)),
        ("c.sdsp a3, 504(sp)", CSdsp(A3, 504)),
        ("c.sdsp t6, 0x1c8(sp)", CSdsp(T6, 0x1C8)),
        ("c.jr ra", CJr(Ra)),
        ("c.jr t6", CJr(T6)),
        ("c.mv a0, a1", CMv(A0, A1)),
        ("c.ebreak", CEbreak()),
        ("c.jalr a0", CJalr(A0)),
        ("c.add t0, t6", CAdd(T0, T6)),
        ("c.fld f8, 248(a5)", CFld(8, A5, 248)),
        ("c.fld f15, 0x88(s0)", CFld(15, S0, 0x88)),
        ("c.fsd f9, 0x48(s1)", CFsd(S1, 9, 0x48)),
        ("c.fldsp f0, 504(sp)", CFldsp(0, 504)),
        ("c.fldsp f31, 0x148(sp)", CFldsp(31, 0x148)),
        ("c.fsdsp f7, 0x1c8(sp)", CFsdsp(7, 0x1C8)),
    ];

    [Fact]
    public void EncoderAgreesWithTheGnuAssembler()
    {
        var source = new StringBuilder();
        // Explicit c.* mnemonics for the compressed part; norvc so nothing else gets compressed,
        // norelax so branches to ".+N" are resolved by the assembler, not left as relocations.
        source.AppendLine(".option norelax").AppendLine(".option norvc").AppendLine(".text");
        foreach (var (text, _) in Wide)
            source.AppendLine(text);
        source.AppendLine(".option rvc");
        foreach (var (text, _) in Compressed)
            source.AppendLine(text);

        byte[] assembled = Assemble(source.ToString());
        Assert.Equal(Wide.Length * 4 + Compressed.Length * 2, assembled.Length);

        var mismatches = new List<string>();
        int offset = 0;
        foreach (var (text, word) in Wide)
        {
            uint expected = BitConverter.ToUInt32(assembled, offset);
            if (expected != word)
                mismatches.Add($"{text}: as 0x{expected:x8}, Asm 0x{word:x8}");
            offset += 4;
        }
        foreach (var (text, half) in Compressed)
        {
            ushort expected = BitConverter.ToUInt16(assembled, offset);
            if (expected != half)
                mismatches.Add($"{text}: as 0x{expected:x4}, Asm 0x{half:x4}");
            offset += 2;
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void EncoderRejectsOperandsThatDoNotFit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Addi(A0, A0, 2048));
        Assert.Throws<ArgumentOutOfRangeException>(() => Beq(A0, A0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Beq(A0, A0, 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jal(A0, 1 << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slli(A0, A0, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => Slliw(A0, A0, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => Add(32, A0, A0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CLw(A6, A0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CLw(A0, A0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CLd(A0, A0, 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => CAddi16sp(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => CLi(A0, 32));
    }

    private static byte[] Assemble(string source)
    {
        string dir = Directory.CreateTempSubdirectory("osprey-asm-").FullName;
        try
        {
            string asmPath = Path.Combine(dir, "t.s"), objPath = Path.Combine(dir, "t.o"), binPath = Path.Combine(dir, "t.bin");
            File.WriteAllText(asmPath, source);
            Tool("riscv64-unknown-elf-as", "-march=rv64gc", "-o", objPath, asmPath);
            Tool("riscv64-unknown-elf-objcopy", "-O", "binary", "-j", ".text", objPath, binPath);
            return File.ReadAllBytes(binPath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Tool(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using Process p = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        string stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed ({p.ExitCode}):\n{stderr}");
    }
}
