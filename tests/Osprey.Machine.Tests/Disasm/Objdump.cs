using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Osprey.Machine.Tests.Disasm;

/// <summary>One instruction line of objdump's output, with the text normalised to what
/// <see cref="Osprey.Machine.Disasm.Disassembler"/> is meant to print.</summary>
internal sealed record ObjdumpLine(string File, ulong Address, uint Bits, int Length, string Text, string Raw);

/// <summary>
/// Runs the Debian RISC-V cross binutils (riscv64-unknown-elf-as / objdump) and parses what
/// objdump prints, so tests can compare the disassembler against it.
/// </summary>
internal static partial class Objdump
{
    /// <summary>The ISA the hart implements; objects assembled for it make objdump decode
    /// exactly these extensions (it reads the ISA string from the ELF attributes).</summary>
    public const string March = "rv64gc";

    // Mnemonics whose last operand is a pc-relative target, which objdump prints as
    // "hex <symbol+off>" when the file has symbols and "0xhex" when it has none.
    private static readonly HashSet<string> TargetMnemonics =
    [
        "beq", "bne", "blt", "bge", "bltu", "bgeu", "jal", "c.j", "c.beqz", "c.bnez",
    ];

    // objdump's data directives for bytes marked as data ($d mapping symbols) inside an
    // executable section; they are not instructions, unlike ".2byte"/".4byte", which is how
    // objdump shows an unrecognised instruction.
    private static readonly HashSet<string> DataDirectives = [".byte", ".short", ".word", ".dword"];

    // "   1c:\t00b50533          \tadd\ta0,a0,a1": address, the instruction as one
    // little-endian word (4 or 8 hex digits), then the instruction text.
    [GeneratedRegex(@"^\s*([0-9a-f]+):\t([0-9a-f]{4}|[0-9a-f]{8})\s*\t(.+)$")]
    private static partial Regex InstructionLine();

    // Any line that starts with an address; one that is not an InstructionLine means the
    // output format is not what this parser expects, which must not pass silently.
    [GeneratedRegex(@"^\s*[0-9a-f]+:\t")]
    private static partial Regex AddressedLine();

    [GeneratedRegex(@" <[^>]*>$")]
    private static partial Regex SymbolSuffix();

    /// <summary>
    /// Assembles <paramref name="source"/> for <see cref="March"/> into an object file in
    /// <paramref name="directory"/>. The object records privileged spec 1.12, whose CSR names the
    /// disassembler uses; as would otherwise record 1.11 when the source names a CSR, and
    /// objdump follows the object's record whatever -M priv-spec says.
    /// </summary>
    public static string Assemble(string source, string directory, string name = "input")
    {
        string sourcePath = Path.Combine(directory, name + ".S");
        string objectPath = Path.Combine(directory, name + ".o");
        File.WriteAllText(sourcePath, source);
        Run("riscv64-unknown-elf-as", ["-march=" + March, "-mpriv-spec=1.12", "-o", objectPath, sourcePath]);
        return objectPath;
    }

    /// <summary>
    /// The instruction lines of <c>objdump -d -M no-aliases</c> for <paramref name="path"/>.
    /// Data directives (bytes the assembler marked as data) are left out and counted in
    /// <paramref name="dataLines"/>.
    /// </summary>
    public static List<ObjdumpLine> Disassemble(string path, out int dataLines)
    {
        string output = Run("riscv64-unknown-elf-objdump", ["-d", "-M", "no-aliases", path]);
        var lines = new List<ObjdumpLine>();
        dataLines = 0;
        foreach (string line in output.Split('\n'))
        {
            Match m = InstructionLine().Match(line);
            if (!m.Success)
            {
                if (AddressedLine().IsMatch(line))
                    throw new InvalidOperationException($"objdump line of {path} not understood: \"{line}\"");
                continue;
            }
            string raw = m.Groups[3].Value.TrimEnd();
            int tab = raw.IndexOf('\t');
            string mnemonic = tab < 0 ? raw : raw[..tab];
            if (DataDirectives.Contains(mnemonic))
            {
                dataLines++;
                continue;
            }
            string hex = m.Groups[2].Value;
            lines.Add(new ObjdumpLine(
                path,
                ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                hex.Length / 2,
                Normalize(mnemonic, raw),
                raw));
        }
        return lines;
    }

    /// <summary>
    /// Removes what objdump can only know from context: the " # address" comment it adds
    /// after tracking lui/auipc values, and the " &lt;symbol+off&gt;" after a target address
    /// (whose "0x" it then leaves off).
    /// </summary>
    public static string Normalize(string mnemonic, string text)
    {
        int comment = text.IndexOf(" # ", StringComparison.Ordinal);
        if (comment >= 0) text = text[..comment];
        if (!TargetMnemonics.Contains(mnemonic)) return text;

        string stripped = SymbolSuffix().Replace(text, "");
        if (stripped.Length == text.Length) return text;
        int lastOperand = Math.Max(stripped.LastIndexOf(','), stripped.LastIndexOf('\t')) + 1;
        return stripped.AsSpan(lastOperand).StartsWith("0x")
            ? stripped
            : string.Concat(stripped.AsSpan(0, lastOperand), "0x", stripped.AsSpan(lastOperand));
    }

    /// <summary>Runs a tool and returns its standard output; throws with its stderr if it fails.</summary>
    public static string Run(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"could not run {tool} ({e.Message}); the disassembler tests compare against it. Install " +
                "binutils-riscv64-unknown-elf (Debian), or run ./test, which installs what is missing.", e);
        }
        using var process = started ?? throw new InvalidOperationException($"could not start {tool}");
        // Read stderr concurrently so a chatty tool cannot block on a full pipe.
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{errors.Result}");
        return output;
    }

    /// <summary>A .S file that emits each word as an instruction, so objdump disassembles it
    /// (".4byte" would mark it as data) under the object's ISA string.</summary>
    public static string InsnSource(IEnumerable<(uint Bits, int Length)> words)
    {
        var source = new StringBuilder();
        foreach (var (bits, length) in words)
            source.Append(CultureInfo.InvariantCulture, $".insn {length}, 0x{bits:x}\n");
        return source.ToString();
    }
}
