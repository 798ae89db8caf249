using System.Globalization;

namespace Osprey.Machine.Jit;

/// <summary>
/// <c>--jit-dump</c>: prints a translated block as each guest instruction (disassembled) over
/// the IL it became. The .NET JIT's machine code for the same method can be printed with the
/// runtime's own switch, <c>DOTNET_JitDisasm="jit_*"</c>.
/// </summary>
internal static class JitDump
{
    public static void Write(TextWriter writer, Translation t, Region region, ulong page, IlWriter il)
    {
        int blocks = region.Instructions.Count(i => i.Leader);
        string text = string.Create(CultureInfo.InvariantCulture,
            $"jit: block at pc 0x{page + (ulong)t.EntryOffset:x} (frame {t.Frame.Frame}, offset 0x{t.EntryOffset:x}): " +
            $"{region.Instructions.Length} instructions in {blocks} basic blocks, {region.ChainTargets.Length} chain slots, {il.Size} bytes of IL\n")
            + il.Listing;
        lock (writer)
            writer.Write(text);
    }
}
