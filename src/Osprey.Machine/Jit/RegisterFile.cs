using System.Runtime.InteropServices;

namespace Osprey.Machine.Jit;

/// <summary>
/// The hart's register file as generated code sees it: x0..x31, the sink (x32) that writes
/// to x0 go to, and f0..f31 (33..64), laid out as the hart's native array of 65 ulongs.
/// Fields rather than pointer arithmetic, so each access is one IL instruction, which the
/// .NET JIT imports faster.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RegisterFile
{
    public ulong X0;
    public ulong X1;
    public ulong X2;
    public ulong X3;
    public ulong X4;
    public ulong X5;
    public ulong X6;
    public ulong X7;
    public ulong X8;
    public ulong X9;
    public ulong X10;
    public ulong X11;
    public ulong X12;
    public ulong X13;
    public ulong X14;
    public ulong X15;
    public ulong X16;
    public ulong X17;
    public ulong X18;
    public ulong X19;
    public ulong X20;
    public ulong X21;
    public ulong X22;
    public ulong X23;
    public ulong X24;
    public ulong X25;
    public ulong X26;
    public ulong X27;
    public ulong X28;
    public ulong X29;
    public ulong X30;
    public ulong X31;
    public ulong X32;

    // f0..f31, from Decoder.FloatBase, as the F and D operations name them.
    public ulong X33;
    public ulong X34;
    public ulong X35;
    public ulong X36;
    public ulong X37;
    public ulong X38;
    public ulong X39;
    public ulong X40;
    public ulong X41;
    public ulong X42;
    public ulong X43;
    public ulong X44;
    public ulong X45;
    public ulong X46;
    public ulong X47;
    public ulong X48;
    public ulong X49;
    public ulong X50;
    public ulong X51;
    public ulong X52;
    public ulong X53;
    public ulong X54;
    public ulong X55;
    public ulong X56;
    public ulong X57;
    public ulong X58;
    public ulong X59;
    public ulong X60;
    public ulong X61;
    public ulong X62;
    public ulong X63;
    public ulong X64;

    /// <summary>Slots: the hart's register array is this long.</summary>
    public const int Count = Cpu.Decoder.FloatBase + 32;

    public static readonly System.Reflection.FieldInfo[] Fields =
        [.. Enumerable.Range(0, Count).Select(i => typeof(RegisterFile).GetField($"X{i}")!)];
}
