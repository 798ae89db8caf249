using System.Text;
using Osprey.Machine.Disasm;

namespace Osprey.Machine.Tests.Disasm;

/// <summary>The result of disassembling objdump's instructions ourselves and comparing texts.</summary>
internal sealed class Comparison
{
    private readonly List<(ObjdumpLine Line, string Ours)> _mismatches = [];

    public int Compared { get; private set; }

    /// <summary>How many objdump lines were ".2byte"/".4byte", i.e. words it does not know.</summary>
    public int Unknown { get; private set; }

    public IReadOnlyList<(ObjdumpLine Line, string Ours)> Mismatches => _mismatches;

    public static Comparison Of(IEnumerable<ObjdumpLine> lines)
    {
        var result = new Comparison();
        foreach (ObjdumpLine line in lines)
            result.Add(line);
        return result;
    }

    public void Add(ObjdumpLine line)
    {
        Compared++;
        if (line.Text.StartsWith(".2byte\t", StringComparison.Ordinal)
            || line.Text.StartsWith(".4byte\t", StringComparison.Ordinal))
            Unknown++;
        if (Disassembler.InstructionLength((ushort)line.Bits) != line.Length)
        {
            _mismatches.Add((line, $"(length {Disassembler.InstructionLength((ushort)line.Bits)})"));
            return;
        }
        string ours = Disassembler.Disassemble(line.Bits, line.Address);
        if (ours != line.Text) _mismatches.Add((line, ours));
    }

    /// <summary>Every mismatch, one per line, for a test failure message.</summary>
    public string Report()
    {
        var report = new StringBuilder();
        report.Append($"{_mismatches.Count} of {Compared} instructions differ from objdump:\n");
        string? file = null;
        foreach (var (line, ours) in _mismatches)
        {
            if (line.File != file)
            {
                file = line.File;
                report.Append($"  in {file}:\n");
            }
            string bytes = line.Length == 2 ? line.Bits.ToString("x4") : line.Bits.ToString("x8");
            report.Append($"    {line.Address:x}: {bytes}  objdump \"{Escape(line.Text)}\"  ours \"{Escape(ours)}\"\n");
        }
        return report.ToString();
    }

    private static string Escape(string text) => text.Replace("\t", "\\t");
}
