using System.Runtime.InteropServices;

namespace Osprey.Machine.Cpu;

/// <summary>
/// One decoded instruction in a hart's code cache. <see cref="Rd"/> is 32 (a sink register
/// that nothing reads) when the instruction names x0 as its destination, so the interpreter
/// writes results without testing for x0. <see cref="Imm"/> is the sign-extended immediate;
/// for CSR reads it is the CSR number, for illegal instructions the instruction bits.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct DecodedInst
{
    public Op Op;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
    public int Imm;
    public byte Length;
}
