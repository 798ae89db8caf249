using System.Buffers.Binary;
using System.Text;
using static Osprey.Machine.Tests.Differential.StreamLayout;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Writes the assembly source of a program that runs one or more random streams, one after
/// another, each writing its <see cref="StreamLayout.OutputBytes"/> to fd 1 before the next
/// starts; the program then exits 0. A stream can be cut to a prefix of its items, with jumps
/// to later items sent to the epilogue instead, which is what bisection runs.
/// </summary>
internal static class StreamProgram
{
    private const int LinuxWrite = 64, LinuxExit = 93;

    public static string Source(IReadOnlyList<(RandomStream Stream, int Prefix)> parts)
    {
        var text = new StringBuilder();
        // No linker relaxation: it would rewrite address arithmetic relative to gp, which the
        // streams fill with random values.
        text.AppendLine("\t.option norelax");
        text.AppendLine("\t.text");
        text.AppendLine("\t.globl _start");
        text.AppendLine("_start:");
        for (int p = 0; p < parts.Count; p++)
            AppendCode(text, p, parts[p].Stream, parts[p].Prefix);
        text.AppendLine($"\tli a0, 0\n\tli a7, {LinuxExit}\n\tecall");

        text.AppendLine("\t.data");
        for (int p = 0; p < parts.Count; p++)
            AppendData(text, p, parts[p].Stream);
        return text.ToString();
    }

    private static void AppendCode(StringBuilder text, int p, RandomStream stream, int prefix)
    {
        text.AppendLine($"# {stream.Name}, first {prefix} items");
        text.AppendLine($"\tlla sp, .Lscratch{p}");
        text.AppendLine($"\taddi s0, sp, {S0Offset}");
        if (stream.FloatRegisters is ulong[] f)
        {
            for (int r = 0; r < 32; r++)
                text.AppendLine($"\tli t0, 0x{f[r]:x}\n\tfmv.d.x {FloatRegisterNames[r]}, t0");
            text.AppendLine($"\tli t0, 0x{stream.Fcsr:x}\n\tfscsr t0");
        }
        foreach (int r in Destinations)
            text.AppendLine($"\tli {RegisterNames[r]}, 0x{stream.Registers[r]:x}");
        for (int i = 0; i < prefix; i++)
        {
            StreamItem item = stream.Items[i];
            text.AppendLine($".Ls{p}_{i}:");
            string body = item.IsBranch
                ? item.Text.Replace(StreamItem.TargetPlaceholder, item.Target < prefix ? $".Ls{p}_{item.Target}" : $".Ls{p}_end")
                : item.Text;
            foreach (string line in body.Split('\n'))
                text.Append('\t').AppendLine(line);
        }
        text.AppendLine($".Ls{p}_end:");
        for (int r = 1; r < 32; r++)
            text.AppendLine($"\tsd {RegisterNames[r]}, {8 * (r - 1) - ScratchOutputOffset}(sp)");
        for (int r = 0; r < 32; r++)
            text.AppendLine($"\tfsd {FloatRegisterNames[r]}, {DumpBytes + 8 * r - ScratchOutputOffset}(sp)");
        text.AppendLine($"\tfrcsr t0\n\tsd t0, {DumpBytes + 8 * 32 - ScratchOutputOffset}(sp)");
        text.AppendLine($"\tli a0, 1\n\taddi a1, sp, {-ScratchOutputOffset}\n\tli a2, {OutputBytes}\n\tli a7, {LinuxWrite}\n\tecall");
    }

    private static void AppendData(StringBuilder text, int p, RandomStream stream)
    {
        text.AppendLine("\t.balign 4096");
        text.AppendLine($"\t.skip {ScratchPageOffset - ScratchOutputOffset}");
        text.AppendLine($"\t.skip {ScratchOutputOffset}");
        text.AppendLine($".Lscratch{p}:");
        for (int i = 0; i < ScratchBytes; i += 8)
            text.AppendLine($"\t.8byte 0x{BinaryPrimitives.ReadUInt64LittleEndian(stream.Scratch.AsSpan(i)):x}");
    }
}
