using Osprey.Machine.Disasm;

namespace Osprey.Machine.Tests.Disasm;

/// <summary>
/// Spot checks that need no cross tools, so a broken disassembler shows up even where
/// binutils is missing. The expected texts were taken from objdump -d -M no-aliases; the
/// exhaustive comparisons are in <see cref="DisassemblerObjdumpTests"/>.
/// </summary>
public class DisassemblerTests
{
    [Theory]
    [InlineData((ushort)0x0000, 2)]
    [InlineData((ushort)0x0505, 2)]
    [InlineData((ushort)0x8082, 2)]
    [InlineData((ushort)0xfffe, 2)]
    [InlineData((ushort)0x0513, 4)]
    [InlineData((ushort)0xffff, 4)]
    public void InstructionLengthFollowsTheLowTwoBits(ushort lowHalf, int length) =>
        Assert.Equal(length, Disassembler.InstructionLength(lowHalf));

    [Theory]
    [InlineData(0x00150513u, 0x0UL, "addi\ta0,a0,1")]
    [InlineData(0x80010113u, 0x0UL, "addi\tsp,sp,-2048")]
    [InlineData(0x00012537u, 0x0UL, "lui\ta0,0x12")]
    [InlineData(0xfffff197u, 0x0UL, "auipc\tgp,0xfffff")]
    [InlineData(0x00b50263u, 0x10UL, "beq\ta0,a1,0x14")]
    [InlineData(0x8020d063u, 0x58UL, "bge\tra,sp,0xfffffffffffff058")]
    [InlineData(0xffdff06fu, 0x44UL, "jal\tzero,0x40")]
    [InlineData(0x00008067u, 0x0UL, "jalr\tzero,0(ra)")]
    [InlineData(0xff813503u, 0x0UL, "ld\ta0,-8(sp)")]
    [InlineData(0xfe0fbfa3u, 0x0UL, "sd\tzero,-1(t6)")]
    [InlineData(0x03f01f93u, 0x0UL, "slli\tt6,zero,0x3f")]
    [InlineData(0x41f9d91bu, 0x0UL, "sraiw\ts2,s3,0x1f")]
    [InlineData(0x0ff0000fu, 0x0UL, "fence\tiorw,iorw")]
    [InlineData(0x0100000fu, 0x0UL, "fence\tw,unknown")]
    [InlineData(0x8330000fu, 0x0UL, "fence.tso")]
    [InlineData(0x0000100fu, 0x0UL, "fence.i")]
    [InlineData(0x00000073u, 0x0UL, "ecall")]
    [InlineData(0x00100073u, 0x0UL, "ebreak")]
    [InlineData(0x12b50073u, 0x0UL, "sfence.vma\ta0,a1")]
    [InlineData(0xc0001073u, 0x0UL, "unimp")]
    [InlineData(0xc0059573u, 0x0UL, "csrrw\ta0,cycle,a1")]
    [InlineData(0x7ff029f3u, 0x0UL, "csrrs\ts3,0x7ff,zero")]
    [InlineData(0x100fe173u, 0x0UL, "csrrsi\tsp,sstatus,31")]
    [InlineData(0x06b6252fu, 0x0UL, "amoadd.w.aqrl\ta0,a1,(a2)")]
    [InlineData(0x1005b52fu, 0x0UL, "lr.d\ta0,(a1)")]
    [InlineData(0x18b6252fu, 0x0UL, "sc.w\ta0,a1,(a2)")]
    [InlineData(0x02c5a533u, 0x0UL, "mulhsu\ta0,a1,a2")]
    [InlineData(0x02c5f553u, 0x0UL, "fadd.d\tfa0,fa1,fa2")]
    [InlineData(0x02c59553u, 0x0UL, "fadd.d\tfa0,fa1,fa2,rtz")]
    [InlineData(0x02c5d553u, 0x0UL, "fadd.d\tfa0,fa1,fa2,unknown")]
    [InlineData(0x68c5a543u, 0x0UL, "fmadd.s\tfa0,fa1,fa2,fa3,rdn")]
    [InlineData(0x42058553u, 0x0UL, "fcvt.d.s\tfa0,fa1")]
    [InlineData(0x4205b553u, 0x0UL, ".4byte\t0x4205b553")] // fcvt.d.s with rm=3: objdump 2.40 knows only rm=0
    [InlineData(0xc2059553u, 0x0UL, "fcvt.w.d\ta0,fa1,rtz")]
    [InlineData(0xe0050553u, 0x0UL, "fmv.x.w\ta0,fa0")]
    [InlineData(0xe2051553u, 0x0UL, "fclass.d\ta0,fa0")]
    [InlineData(0x80a13027u, 0x0UL, "fsd\tfa0,-2048(sp)")]
    [InlineData(0x00102573u, 0x0UL, "csrrs\ta0,fflags,zero")]
    [InlineData(0x02000057u, 0x0UL, ".4byte\t0x2000057")] // OP-V
    [InlineData(0x0000007fu, 0x0UL, ".4byte\t0x7f")]
    public void Disassembles32BitInstructions(uint bits, ulong pc, string text) =>
        Assert.Equal(text, Disassembler.Disassemble(bits, pc));

    [Theory]
    [InlineData(0x0000u, 0x0UL, "c.unimp")]
    [InlineData(0x0001u, 0x0UL, "c.addi\tzero,0")]
    [InlineData(0x0505u, 0x0UL, "c.addi\ta0,1")]
    [InlineData(0x713du, 0x0UL, "c.addi16sp\tsp,-32")]
    [InlineData(0x0048u, 0x0UL, "c.addi4spn\ta0,sp,4")]
    [InlineData(0x4512u, 0x0UL, "c.lwsp\ta0,4(sp)")]
    [InlineData(0x7dfeu, 0x0UL, "c.ldsp\ts11,504(sp)")]
    [InlineData(0x7081u, 0x0UL, "c.lui\tra,0xfffe0")]
    [InlineData(0x90fdu, 0x0UL, "c.srli\ts1,0x3f")]
    [InlineData(0x0502u, 0x0UL, "c.slli64\ta0")]
    [InlineData(0xb74du, 0x416UL, "c.j\t0x3b8")]
    [InlineData(0xf001u, 0x424UL, "c.bnez\ts0,0x324")]
    [InlineData(0x9002u, 0x0UL, "c.ebreak")]
    [InlineData(0x9082u, 0x0UL, "c.jalr\tra")]
    [InlineData(0x8002u, 0x0UL, ".2byte\t0x8002")]
    [InlineData(0x2002u, 0x0UL, "c.fldsp\tft0,0(sp)")]
    [InlineData(0x2588u, 0x0UL, "c.fld\tfa0,8(a1)")]
    [InlineData(0xa42au, 0x0UL, "c.fsdsp\tfa0,8(sp)")]
    [InlineData(0x12340505u, 0x0UL, "c.addi\ta0,1")] // only the low 16 bits count
    public void DisassemblesCompressedInstructions(uint bits, ulong pc, string text) =>
        Assert.Equal(text, Disassembler.Disassemble(bits, pc));

    [Theory]
    [InlineData("beq", "beq\ta0,a1,14 <.L1^B1>", "beq\ta0,a1,0x14")]
    [InlineData("jal", "jal\tzero,0x40", "jal\tzero,0x40")]
    [InlineData("c.j", "c.j\t3b8 <cstart>", "c.j\t0x3b8")]
    [InlineData("c.addi", "c.addi\ta0,1 # ffffffff8000000d <.L1^B1+0xffffffff7ffffff9>", "c.addi\ta0,1")]
    [InlineData("jalr", "jalr\tra,0(a0) # 14 <start+0x14>", "jalr\tra,0(a0)")]
    public void ObjdumpTextIsNormalisedToWhatTheDisassemblerCanKnow(string mnemonic, string objdump, string expected) =>
        Assert.Equal(expected, Objdump.Normalize(mnemonic, objdump));
}
