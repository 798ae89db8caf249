namespace Osprey.Emulation;

/// <summary>Which system-call numbers the emulate shim answers.</summary>
public enum Abi
{
    /// <summary>xv6-riscv: write 16, exit 2; errors return -1.</summary>
    Xv6,

    /// <summary>Linux (as qemu-riscv64): write 64, exit 93, exit_group 94; errors return -errno.</summary>
    Linux,
}
