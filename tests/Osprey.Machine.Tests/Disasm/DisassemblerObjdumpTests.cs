using System.Text;
using Xunit.Abstractions;

namespace Osprey.Machine.Tests.Disasm;

/// <summary>
/// Compares <see cref="Osprey.Machine.Disasm.Disassembler"/> with
/// <c>riscv64-unknown-elf-objdump -d -M no-aliases</c> on the same bytes: a hand-written file of
/// every instruction, every CSR number, every 16-bit parcel, random 32-bit words, and the
/// guest programs under build/. Each failure lists every differing instruction.
/// </summary>
/// <remarks>
/// objdump decodes the extensions named in an object's ISA attribute, so every object here is
/// assembled for exactly the hart's ISA (rv64gc); words of other extensions then print as
/// ".4byte"/".2byte" from both. Words are emitted with ".insn" rather than ".4byte"/".2byte",
/// which would mark them as data and make objdump print ".word"/".short" without decoding them.
/// </remarks>
public class DisassemblerObjdumpTests(ITestOutputHelper output)
{
    private static string Here => Path.Combine(Repo.Root, "tests", "Osprey.Machine.Tests", "Disasm");

    [Fact]
    public void EveryInstructionInAllInstructionsMatchesObjdump()
    {
        string source = File.ReadAllText(Path.Combine(Here, "all-instructions.S"));
        Comparison result = AssembleAndCompare(source);

        Assert.True(result.Mismatches.Count == 0, result.Report());
        // The file has about 470 instructions, 16 of them words objdump does not know; far
        // fewer compared lines means the output was not parsed, not that everything matched.
        Assert.True(result.Compared >= 430, $"only {result.Compared} instructions compared");
        Assert.True(result.Unknown >= 10, $"only {result.Unknown} unknown words compared");
    }

    [Fact]
    public void EveryCsrNumberMatchesObjdump()
    {
        var source = new StringBuilder();
        for (int csr = 0; csr < 4096; csr++)
            source.Append($"csrrs a0, {csr}, zero\ncsrrwi zero, {csr}, 31\n");
        Comparison result = AssembleAndCompare(source.ToString());

        Assert.True(result.Mismatches.Count == 0, result.Report());
        Assert.Equal(2 * 4096, result.Compared);
    }

    /// <summary>
    /// All 49152 16-bit parcels whose low bits are not 0b11, rather than a random sample: the
    /// space is small enough that objdump gets through it in well under a second.
    /// </summary>
    [Fact]
    public void EveryCompressedParcelMatchesObjdump()
    {
        var words = new List<(uint, int)>();
        for (uint parcel = 0; parcel < 0x10000; parcel++)
            if ((parcel & 3) != 3)
                words.Add((parcel, 2));
        Comparison result = AssembleAndCompare(Objdump.InsnSource(words));

        Assert.True(result.Mismatches.Count == 0, result.Report());
        Assert.Equal(words.Count, result.Compared);
    }

    /// <summary>
    /// Random 32-bit words from a fixed seed. Uniformly random words are mostly unassigned
    /// opcodes, so half are steered onto the major opcodes the ISA uses, with funct7 often one
    /// of the values those opcodes assign. Words whose low five bits are all ones are left out:
    /// they begin 48-bit and longer instructions, which objdump decodes with a different
    /// length, while this ISA has none and <c>InstructionLength</c> only knows 2 and 4.
    /// </summary>
    [Fact]
    public void RandomWordsMatchObjdump()
    {
        uint[] opcodes =
        [
            0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x1b, 0x33, 0x3b, 0x0f, 0x73, 0x2f,
            0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x53, 0x53,
        ];
        // Besides the integer ones, the OP-FP values: funct5 << 2 | format, for S and D.
        uint[] funct7s =
        [
            0x00, 0x01, 0x20, 0x09, 0x08, 0x18, 0x10, 0x30,
            0x04, 0x05, 0x0c, 0x0d, 0x2c, 0x2d, 0x11, 0x14, 0x15, 0x21, 0x50, 0x51, 0x60, 0x61, 0x68, 0x69, 0x70, 0x71, 0x78, 0x79,
        ];
        var random = new Random(20250101);
        var words = new List<(uint, int)>();
        while (words.Count < 100_000)
        {
            uint word = (uint)random.NextInt64(0, 1L << 32) | 3;
            if ((words.Count & 1) == 0)
            {
                word = (word & ~0x7fu) | opcodes[random.Next(opcodes.Length)];
                if (random.Next(2) == 0)
                    word = (word & 0x01ffffffu) | (funct7s[random.Next(funct7s.Length)] << 25);
            }
            if ((word & 0x1f) == 0x1f) continue;
            words.Add((word, 4));
        }
        Comparison result = AssembleAndCompare(Objdump.InsnSource(words));

        Assert.True(result.Mismatches.Count == 0, result.Report());
        Assert.Equal(words.Count, result.Compared);
        // Both decoded instructions and unknown words must have been exercised.
        Assert.InRange(result.Unknown, 10_000, 90_000);
    }

    /// <summary>
    /// The guest programs the Makefiles build. objdump takes CSR names from the privileged
    /// spec each ELF records, which is 1.11 unless the build says otherwise, while the
    /// disassembler uses 1.12's; the two only differ for CSRs user programs cannot touch
    /// (N-extension user trap CSRs, sedeleg/sideleg, and 1.12 additions such as menvcfg).
    /// </summary>
    [Fact]
    public void GuestProgramsMatchObjdump()
    {
        List<string> elfs = Directory.Exists(Repo.BuildDir)
            ? Directory.EnumerateFiles(Repo.BuildDir, "*", SearchOption.AllDirectories).Where(IsElf).Order().ToList()
            : [];
        Assert.True(elfs.Count > 0,
            $"no ELF files under {Repo.BuildDir}; the test project's build runs make -C user and make -C bench/guest to put them there");

        var result = new Comparison();
        var perFile = new StringBuilder();
        foreach (string elf in elfs)
        {
            List<ObjdumpLine> lines = Objdump.Disassemble(elf, out _);
            Assert.True(lines.Count > 0, $"objdump printed no instructions for {elf}");
            foreach (ObjdumpLine line in lines)
                result.Add(line);
            perFile.Append($"  {Path.GetRelativePath(Repo.BuildDir, elf)}: {lines.Count}\n");
        }

        output.WriteLine($"{result.Compared} instructions in {elfs.Count} ELF files:\n{perFile}");
        Assert.True(result.Mismatches.Count == 0, result.Report() + "instructions per file:\n" + perFile);
    }

    private Comparison AssembleAndCompare(string source)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("osprey-disasm-");
        try
        {
            string obj = Objdump.Assemble(source, directory.FullName);
            List<ObjdumpLine> lines = Objdump.Disassemble(obj, out int data);
            Assert.True(data == 0, $"objdump printed {data} data lines; the source must emit instructions only");
            Comparison result = Comparison.Of(lines);
            output.WriteLine($"{result.Compared} instructions compared, {result.Unknown} of them words objdump does not know");
            return result;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using FileStream file = File.OpenRead(path);
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
               && magic[0] == 0x7f && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F';
    }
}
