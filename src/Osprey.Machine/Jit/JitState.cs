using System.Runtime.InteropServices;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Jit;

/// <summary>
/// What translated code needs of the hart it runs on, in native memory so that generated code
/// reaches it through one pointer argument: the register file and TLBs on entry, and the exit
/// record (pc, budget left, an illegal instruction's bits, the chain slot to patch) on return.
/// One per hart; translations are shared between harts, so none of this is baked into them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct JitState
{
    public ulong* Regs;
    public TlbEntry* LoadTlb;
    public TlbEntry* StoreTlb;

    /// <summary>On exit: where the hart continues, or the instruction that trapped.</summary>
    public ulong Pc;

    /// <summary>On exit: the instruction budget left, exact (instructions that did not retire are not counted).</summary>
    public long Left;

    /// <summary>
    /// The budget when the dispatcher last brought <see cref="Hart.Instret"/> up to date; a
    /// helper that runs an instruction through the interpreter catches instret up first, so a
    /// read of the instret CSR inside translated code is exact.
    /// </summary>
    public long LeftAtSync;

    /// <summary>On an <see cref="JitExit.Illegal"/> exit: the instruction bits (stval).</summary>
    public ulong TrapValue;

    /// <summary>On a <see cref="JitExit.Continue"/> exit from a direct jump: the exiting translation's chain slot, else -1.</summary>
    public int ChainIndex;
}
