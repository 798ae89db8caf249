namespace Osprey.Machine.Jit;

/// <summary>How the translator treats a decoded instruction.</summary>
internal enum InstKind : byte
{
    /// <summary>Translated inline; falls through to the next instruction.</summary>
    Plain,

    /// <summary>A conditional branch: to its target, or through.</summary>
    Branch,

    /// <summary>jal: to its target only.</summary>
    Jump,

    /// <summary>jalr: to a computed target, through the jump cache.</summary>
    Indirect,

    /// <summary>ecall, ebreak or an illegal instruction: always traps.</summary>
    Trap,

    /// <summary>Left to the dispatcher, which runs it in the interpreter: fence.i, and a 32-bit instruction that straddles two pages.</summary>
    StepExit,

    /// <summary>LR, SC and the AMOs: a call to the interpreter's atomics with the registers they use.</summary>
    Atomic,

    /// <summary>
    /// An F or D operation other than a load or store, or an access to fflags, frm or fcsr: a
    /// call to the interpreter's own floating-point code, which reads and writes the register
    /// file (current: translated code writes back every dirty register before the call).
    /// </summary>
    Float,

    /// <summary>
    /// An F or D operation whose operands and result are all f registers (arithmetic, fused
    /// multiply-add, square root, sign injection, min/max, fcvt.s.d and fcvt.d.s): the same call
    /// as <see cref="Float"/>, but no integer register is written back before it or reloaded
    /// after, since it reads and writes none. The double-precision arithmetic among them is
    /// translated into direct FloatUnit calls (Emitter.Float.cs), which this lets keep every
    /// integer register in its local.
    /// </summary>
    FloatRegistersOnly,

    /// <summary>
    /// Anything else (CSR reads, and any operation the translator does not know, such as one a
    /// later extension adds): the interpreter runs that one instruction from inside the
    /// translated code, with every register spilled before and reloaded after.
    /// </summary>
    Helper,
}
