using Osprey.Machine.Cpu;

namespace Osprey.Kernel.Proc;

/// <summary>
/// A process's user registers and pc while it is in the kernel (xv6's trapframe). Saved from
/// the hart when a trap returns and loaded into whichever CPU's hart runs the process next,
/// so system calls read arguments and write results here, never on a hart.
/// </summary>
public sealed class TrapFrame
{
    public const int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A7 = 17, Sp = 2;

    private readonly ulong[] _x = new ulong[32];

    public ulong Pc { get; set; }

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
        for (int i = 1; i < 32; i++)
            _x[i] = hart[i];
        Pc = hart.Pc;
    }

    public void LoadInto(Hart hart)
    {
        for (int i = 1; i < 32; i++)
            hart[i] = _x[i];
        hart.Pc = Pc;
    }

    public void CopyFrom(TrapFrame other)
    {
        other._x.CopyTo(_x, 0);
        Pc = other.Pc;
    }

    public void Clear()
    {
        Array.Clear(_x);
        Pc = 0;
    }
}
