using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>
/// Reserved encodings, unimplemented extensions (Zfh, Q, V, custom), privileged instructions and
/// forbidden CSR accesses must raise an illegal-instruction exception whose tval is the
/// instruction's bits (16 of them for a compressed encoding), at the instruction's pc, with no
/// side effect and nothing retired.
/// </summary>
public sealed class IllegalInstructionTests
{
    private const ulong Code = TestMachine.CodeBase;

    public static TheoryData<string, uint> WideRows => new()
    {
        { "all ones", 0xFFFF_FFFF },
        { "slli funct6=000001", IType(OpImm, A0, 1, A1, (1 << 6) | 3) },
        { "slli funct6=010000", IType(OpImm, A0, 1, A1, 0x400 | 3) },
        { "srli funct6=000001", IType(OpImm, A0, 5, A1, 0x040 | 3) },
        { "srli funct6=100000", IType(OpImm, A0, 5, A1, unchecked((int)0xFFFF_F803)) },
        { "srai funct6=010001", IType(OpImm, A0, 5, A1, 0x440 | 3) },
        { "srai funct6=110000", IType(OpImm, A0, 5, A1, unchecked((int)0xFFFF_FC03)) },
        { "slliw shamt[5]=1", IType(OpImm32, A0, 1, A1, 0x020 | 1) },
        { "slliw funct7=0100000", IType(OpImm32, A0, 1, A1, 0x400 | 1) },
        { "srliw shamt[5]=1", IType(OpImm32, A0, 5, A1, 0x020 | 1) },
        { "srliw funct7=0000010", IType(OpImm32, A0, 5, A1, 0x040 | 1) },
        { "sraiw shamt[5]=1", IType(OpImm32, A0, 5, A1, 0x420 | 1) },
        { "sraiw funct7=0110000", IType(OpImm32, A0, 5, A1, 0x600 | 1) },
        { "OP-IMM-32 funct3=2", IType(OpImm32, A0, 2, A1, 0) },
        { "OP-IMM-32 funct3=3", IType(OpImm32, A0, 3, A1, 0) },
        { "OP-IMM-32 funct3=4", IType(OpImm32, A0, 4, A1, 0) },
        { "OP-IMM-32 funct3=6", IType(OpImm32, A0, 6, A1, 0) },
        { "OP-IMM-32 funct3=7", IType(OpImm32, A0, 7, A1, 0) },
        { "add funct7=0000010", RType(OpReg, A0, 0, A1, A2, 0b0000010) },
        { "add funct7=1000000", RType(OpReg, A0, 0, A1, A2, 0b1000000) },
        { "sll funct7=0100000", RType(OpReg, A0, 1, A1, A2, 0b0100000) },
        { "slt funct7=0100000", RType(OpReg, A0, 2, A1, A2, 0b0100000) },
        { "and funct7=0100000", RType(OpReg, A0, 7, A1, A2, 0b0100000) },
        { "srl funct7=0100001", RType(OpReg, A0, 5, A1, A2, 0b0100001) },
        { "OP-32 funct7=1 funct3=1 (no mulhw)", RType(OpReg32, A0, 1, A1, A2, 1) },
        { "OP-32 funct7=1 funct3=2", RType(OpReg32, A0, 2, A1, A2, 1) },
        { "OP-32 funct7=1 funct3=3", RType(OpReg32, A0, 3, A1, A2, 1) },
        { "OP-32 funct7=0 funct3=2", RType(OpReg32, A0, 2, A1, A2, 0) },
        { "OP-32 funct7=0 funct3=7", RType(OpReg32, A0, 7, A1, A2, 0) },
        { "sllw funct7=0100000", RType(OpReg32, A0, 1, A1, A2, 0b0100000) },
        { "addw funct7=0000010", RType(OpReg32, A0, 0, A1, A2, 0b0000010) },
        { "branch funct3=2", BType(2, A0, A1, 8) },
        { "branch funct3=3", BType(3, A0, A1, 8) },
        { "load funct3=7", IType(OpLoad, A0, 7, A1, 0) },
        { "store funct3=4", SType(OpStore, 4, A1, A0, 0) },
        { "store funct3=5", SType(OpStore, 5, A1, A0, 0) },
        { "store funct3=6", SType(OpStore, 6, A1, A0, 0) },
        { "store funct3=7", SType(OpStore, 7, A1, A0, 0) },
        { "jalr funct3=1", IType(OpJalr, A0, 1, A1, 0) },
        { "jalr funct3=7", IType(OpJalr, A0, 7, A1, 0) },
        { "MISC-MEM funct3=2 (cbo)", IType(OpMiscMem, 0, 2, A0, 0) },
        { "MISC-MEM funct3=7", IType(OpMiscMem, 0, 7, A0, 0) },
        { "AMO funct3=0 (byte)", AmoType(0b00000, 0, A0, A1, A2) },
        { "AMO funct3=1 (half)", AmoType(0b00001, 1, A0, A1, A2) },
        { "AMO funct3=4 (quad)", AmoType(0b00000, 4, A0, A1, A2) },
        { "AMO funct5=00101", AmoType(0b00101, 2, A0, A1, A2) },
        { "AMO funct5=11111", AmoType(0b11111, 3, A0, A1, A2) },
        { "lr.w with rs2 != 0", AmoType(0b00010, 2, A0, A1, A2) },
        { "lr.d with rs2 != 0", AmoType(0b00010, 3, A0, A1, A2) },
        { "ecall with rd != 0", IType(OpSystem, Ra, 0, 0, 0) },
        { "ecall with rs1 != 0", IType(OpSystem, 0, 0, Ra, 0) },
        { "ebreak with rd != 0", IType(OpSystem, Ra, 0, 0, 1) },
        { "SYSTEM funct3=0 imm=3", IType(OpSystem, 0, 0, 0, 3) },
        { "SYSTEM funct3=4", IType(OpSystem, A0, 4, A1, 0) },
        { "uret", 0x0020_0073 },
        { "sret", Sret() },
        { "mret", Mret() },
        { "wfi", Wfi() },
        { "sfence.vma zero, zero", SfenceVma(Zero, Zero) },
        { "sfence.vma a0, a1", SfenceVma(A0, A1) },
        { "sinval.vma", RType(OpSystem, 0, 0, A0, A1, 0b0001011) },
        { "hfence.vvma", RType(OpSystem, 0, 0, A0, A1, 0b0010001) },

        // Zicsr: only reads of cycle, time and instret are allowed.
        { "csrrw zero, cycle, a0", Csrrw(Zero, CsrCycle, A0) },
        { "csrrw a0, cycle, zero", Csrrw(A0, CsrCycle, Zero) },
        { "csrrw a0, instret, a1", Csrrw(A0, CsrInstret, A1) },
        { "csrrwi a0, time, 0", Csrrwi(A0, CsrTime, 0) },
        { "csrrs a0, cycle, a1", Csrrs(A0, CsrCycle, A1) },
        { "csrrc a0, instret, a1", Csrrc(A0, CsrInstret, A1) },
        { "csrrsi a0, cycle, 1", Csrrsi(A0, CsrCycle, 1) },
        { "csrrci a0, time, 31", Csrrci(A0, CsrTime, 31) },
        { "csrrs a0, 0x123", Csrrs(A0, 0x123, Zero) },
        { "csrr 0x004 (next to fcsr)", Csrrs(A0, 0x004, Zero) },
        { "csrrw 0x000 (ustatus, gone)", Csrrw(A0, 0x000, A1) },
        { "csrr sstatus", Csrrs(A0, 0x100, Zero) },
        { "csrr satp", Csrrs(A0, 0x180, Zero) },
        { "csrr mstatus", Csrrs(A0, 0x300, Zero) },
        { "csrr mcycle", Csrrs(A0, 0xB00, Zero) },
        { "csrr hpmcounter3", Csrrs(A0, 0xC03, Zero) },
        { "csrr hpmcounter31", Csrrs(A0, 0xC1F, Zero) },
        { "csrr cycleh (RV32 only)", Csrrs(A0, 0xC80, Zero) },
        { "csrr vl", Csrrs(A0, 0xC20, Zero) },

        // F and D: the reserved static rounding modes, the H and Q formats, and every
        // unassigned field value in their opcodes.
        { "flh (Zfh)", IType(OpLoadFp, 1, 1, A0, 0) },
        { "flq (Q)", IType(OpLoadFp, 1, 4, A0, 0) },
        { "LOAD-FP funct3=0 (vector)", IType(OpLoadFp, 1, 0, A0, 0) },
        { "LOAD-FP funct3=7 (vector)", IType(OpLoadFp, 1, 7, A0, 0) },
        { "fsh (Zfh)", SType(OpStoreFp, 1, A0, 1, 0) },
        { "fsq (Q)", SType(OpStoreFp, 4, A0, 1, 0) },
        { "STORE-FP funct3=6 (vector)", SType(OpStoreFp, 6, A0, 1, 0) },
        { "fadd.s rm=5", Fp("fadd.s", 1, 2, 3, rm: 5) },
        { "fadd.d rm=6", Fp("fadd.d", 1, 2, 3, rm: 6) },
        { "fadd.h", Fp("fadd.h", 1, 2, 3, rm: Rne) },
        { "fadd.q", Fp("fadd.q", 1, 2, 3, rm: Rne) },
        { "fsqrt.d rm=5", Fp("fsqrt.d", 1, 2, rm: 5) },
        { "fsqrt.s rs2=1", FpType(0x0B, 0, 1, 2, 1, Rne) },
        { "fmadd.s rm=5", Fp("fmadd.s", 1, 2, 3, 4, 5) },
        { "fnmadd.d rm=6", Fp("fnmadd.d", 1, 2, 3, 4, 6) },
        { "fmadd.h", Fp("fmadd.h", 1, 2, 3, 4, Rne) },
        { "fmsub.q", Fp("fmsub.q", 1, 2, 3, 4, Rne) },
        { "fsgnj funct3=3", FpType(0x04, 1, 1, 2, 3, 3) },
        { "fmin funct3=2", FpType(0x05, 0, 1, 2, 3, 2) },
        { "fcmp funct3=3", FpType(0x14, 1, A0, 2, 3, 3) },
        { "fcvt.s.s (rs2=0, format S)", FpType(0x08, 0, 1, 2, 0, Rne) },
        { "fcvt.d.d (rs2=1, format D)", FpType(0x08, 1, 1, 2, 1, Rne) },
        { "fcvt.s.h (rs2=2)", FpType(0x08, 0, 1, 2, 2, Rne) },
        { "fcvt.d.s rm=5 (exact, but rm still decodes)", Fp("fcvt.d.s", 1, 2, rm: 5) },
        { "fcvt.d.w rm=6", Fp("fcvt.d.w", 1, A0, rm: 6) },
        { "fcvt.w.s rm=5", Fp("fcvt.w.s", A0, 1, rm: 5) },
        { "fcvt.int.s rs2=4", FpType(0x18, 0, A0, 1, 4, Rne) },
        { "fcvt.s.int rs2=8", FpType(0x1A, 0, 1, A0, 8, Rne) },
        { "fmv.x.w funct3=2", FpType(0x1C, 0, A0, 1, 0, 2) },
        { "fmv.x.d rs2=1", FpType(0x1C, 1, A0, 1, 1, 0) },
        { "fclass.s rs2=1", FpType(0x1C, 0, A0, 1, 1, 1) },
        { "fmv.w.x funct3=1", FpType(0x1E, 0, 1, A0, 0, 1) },
        { "fmv.d.x rs2=2", FpType(0x1E, 1, 1, A0, 2, 0) },
        { "OP-FP funct5=00110", FpType(0x06, 0, 1, 2, 3, Rne) },
        { "OP-FP funct5=11111", FpType(0x1F, 1, 1, 2, 3, Rne) },
        { "fround.s (Zfa)", FpType(0x08, 0, 1, 2, 4, Rne) },

        // Opcodes of extensions Osprey lacks, custom space, and longer-instruction prefixes.
        { "custom-0", IType(OpCustom0, A0, 0, A1, 0) },
        { "custom-1", IType(0x2B, A0, 0, A1, 0) },
        { "custom-2", IType(0x5B, A0, 0, A1, 0) },
        { "custom-3", IType(0x7B, A0, 0, A1, 0) },
        { "OP-V", RType(0x57, 1, 0, 2, 3, 0) },
        { "reserved 0x6B", IType(0x6B, A0, 0, A1, 0) },
        { "reserved 0x77", IType(0x77, A0, 0, A1, 0) },
        { "48-bit prefix", IType(0x1F, A0, 0, A1, 0) },
        { "64-bit prefix", IType(0x3F, A0, 0, A1, 0) },
    };

    public static TheoryData<string, ushort> CompressedRows => new()
    {
        { "all-zero halfword", 0x0000 },
        { "c.addi4spn with nzuimm 0", CAddi4spn(S1, 0) },
        { "c.addi4spn a5 with nzuimm 0", CAddi4spn(A5, 0) },
        { "Q0 funct3=100", CRaw(0b100, 0x000, 0b00) },
        { "Q0 funct3=100 nonzero", CRaw(0b100, 0x7FF, 0b00) },
        { "c.addi16sp 0", CI(0b011, Sp, 0, 0b01) },
        { "c.lui t0, 0", CLui(T0, 0) },
        { "c.lui zero, 0", CLui(Zero, 0) },
        { "c.lwsp zero", CLwsp(Zero, 4) },
        { "c.lwsp zero, 0", CLwsp(Zero, 0) },
        { "c.ldsp zero", CLdsp(Zero, 8) },
        { "c.jr zero", CJr(Zero) },
        { "c.addiw zero, 1", CAddiw(Zero, 1) },
        { "c.addiw zero, 0", CAddiw(Zero, 0) },
        { "CA funct6=100111 funct2=10", CA(0b100111, S0, 0b10, S1, 0b01) },
        { "CA funct6=100111 funct2=11", CA(0b100111, A5, 0b11, A4, 0b01) },
    };

    [Theory]
    [MemberData(nameof(WideRows))]
    public void WideEncodingIsIllegal(string label, uint bits)
    {
        using var m = new TestMachine();
        SeedRegisters(m);
        m.Place(Code, bits, Ebreak());
        var trap = m.Run(Code);
        Assert.True(new Trap(TrapCause.IllegalInstruction, Code, bits) == trap, $"{label} (0x{bits:x8}): got {trap}");
        ExpectUnchanged(m);
    }

    [Theory]
    [MemberData(nameof(CompressedRows))]
    public void CompressedEncodingIsIllegal(string label, ushort bits)
    {
        using var m = new TestMachine();
        SeedRegisters(m);
        // Followed by a non-zero halfword, which must not leak into tval.
        m.Place16(Code, bits, 0xFFFF, CEbreak());
        var trap = m.Run(Code);
        Assert.True(new Trap(TrapCause.IllegalInstruction, Code, bits) == trap, $"{label} (0x{bits:x4}): got {trap}");
        ExpectUnchanged(m);
    }

    [Fact]
    public void IllegalInstructionAfterOthersReportsItsOwnPc()
    {
        using var m = new TestMachine();
        ulong pc = m.Place16(Code, CLi(A0, 1));
        pc = m.Place(pc, Addi(A0, A0, 1), Mret());
        var trap = m.Run(Code);
        Assert.Equal(new Trap(TrapCause.IllegalInstruction, Code + 6, Mret()), trap);
        Assert.Equal(2UL, m[A0]);
        Assert.Equal(2UL, m.Hart.Instret);
        Assert.Equal(Code + 6, m.Hart.Pc);
    }

    [Fact]
    public void AnIllegalInstructionIsReportedAgainIfTheKernelResumesThere()
    {
        // The decoded-instruction cache must keep an illegal encoding illegal.
        using var m = new TestMachine();
        m.Place(Code, Wfi(), Ebreak());
        Assert.Equal(TrapCause.IllegalInstruction, m.Run(Code).Cause);
        Assert.Equal(new Trap(TrapCause.IllegalInstruction, Code, Wfi()), m.Run(Code));
    }

    private static void SeedRegisters(TestMachine m)
    {
        for (int r = 1; r < 32; r++)
            m[r] = TestMachine.DataBase + (ulong)r * 8;
        for (int r = 0; r < 32; r++)
            m.Hart.SetFloatRegister(r, 0x4000_0000_0000_0000 + (ulong)r);
        m.Hart.Fcsr = 0x20; // frm = RTZ, no flags
    }

    private static void ExpectUnchanged(TestMachine m)
    {
        for (int r = 1; r < 32; r++)
            Assert.Equal(TestMachine.DataBase + (ulong)r * 8, m[r]);
        for (int r = 0; r < 32; r++)
            Assert.Equal(0x4000_0000_0000_0000 + (ulong)r, m.Hart.GetFloatRegister(r));
        Assert.Equal(0x20u, m.Hart.Fcsr);
        Assert.Equal(0UL, m.Hart.Instret);
        Assert.Equal(Code, m.Hart.Pc);
    }
}
