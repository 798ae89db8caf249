using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Proc;

/// <summary>
/// A process's user registers and pc while it is in the kernel (xv6's trapframe). Saved from
/// the hart when a trap returns and loaded into whichever CPU's hart runs the process next,
/// so system calls read arguments and write results here, never on a hart. The
/// floating-point state (f0..f31 and fcsr) travels with the integer registers, so each
/// process has its own rounding mode and flags; it is saved on every trap, as a kernel that
/// does not track the F extension's dirty state (sstatus.FS) must.
/// </summary>
public sealed class TrapFrame
{
    public const int Ra = 1, Sp = 2, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A7 = 17;

    private readonly ulong[] _x = new ulong[32];
    private readonly ulong[] _f = new ulong[32];

    public ulong Pc { get; set; }

    /// <summary>fcsr: the rounding mode (frm) in bits 7..5, the accrued flags in bits 4..0.</summary>
    public uint Fcsr { get; set; }

    /// <summary>Register f<paramref name="register"/>, as raw bits.</summary>
    public ulong FloatRegister(int register) => _f[register];

    /// <summary>Sets register f<paramref name="register"/> to raw bits (an upcall's resume, a debugger's register write).</summary>
    public void SetFloatRegister(int register, ulong bits) => _f[register] = bits;

    public ulong this[int register]
    {
        get => _x[register];
        set
        {
            if (register != 0)
                _x[register] = value;
        }
    }

    /// <summary>System-call argument n (a0..a5).</summary>
    public ulong Argument(int n) => _x[A0 + n];

    public void SaveFrom(Hart hart)
    {
        hart.SaveIntegerRegisters(_x);
        Pc = hart.Pc;
        hart.SaveFloatRegisters(_f);
        Fcsr = hart.Fcsr;
    }

    public void LoadInto(Hart hart)
    {
        hart.LoadIntegerRegisters(_x);
        hart.Pc = Pc;
        hart.LoadFloatRegisters(_f);
        hart.Fcsr = Fcsr;
    }

    public void CopyFrom(TrapFrame other)
    {
        other._x.CopyTo(_x, 0);
        Pc = other.Pc;
        other._f.CopyTo(_f, 0);
        Fcsr = other.Fcsr;
    }

    public void Clear()
    {
        Array.Clear(_x);
        Pc = 0;
        ClearFloatingPoint();
    }

    /// <summary>
    /// A new program's floating-point state, as exec leaves it: registers zero, round to
    /// nearest, no flags (C requires a program to start in round-to-nearest).
    /// </summary>
    public void ClearFloatingPoint()
    {
        Array.Clear(_f);
        Fcsr = 0;
    }
}
