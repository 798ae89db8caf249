using System.Runtime.InteropServices;

namespace Osprey.Machine.Jit;

/// <summary>
/// The hart's register file as generated code sees it: x0..x31 and the sink (x32) that writes
/// to x0 go to, laid out as the hart's native array of 33 ulongs. Fields rather than pointer
/// arithmetic, so each access is one IL instruction, which the .NET JIT imports faster.
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

    public static readonly System.Reflection.FieldInfo[] Fields =
        [.. Enumerable.Range(0, 33).Select(i => typeof(RegisterFile).GetField($"X{i}")!)];
}
