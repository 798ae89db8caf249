namespace Osprey.Machine.Disasm;

/// <summary>
/// CSR names as objdump prints them under privileged spec 1.12, the current one and what
/// objdump assumes when an object does not record a spec. (riscv64-unknown-elf-as records 1.11
/// in an object that names a CSR unless given -mpriv-spec=1.12; under 1.11 objdump still knows
/// the dropped N-extension user trap CSRs and sedeleg/sideleg, and not the 1.12 additions such
/// as menvcfg or pmpaddr16..63.) objdump names every CSR it knows whatever the object's ISA
/// string says, including RV32-only "h" halves and hypervisor, debug and vector CSRs, so the
/// table does too; numbers it does not know are printed in hex.
/// </summary>
internal static class CsrNames
{
    private static readonly string?[] Names = Build();

    public static string Format(uint csr)
    {
        csr &= 0xfff;
        return Names[csr] ?? $"0x{csr:x}";
    }

    private static string?[] Build()
    {
        var names = new string?[4096];

        // Families numbered from a base, where member i is at base + i.
        Family(names, 0x3a0, "pmpcfg", 0, 15, "");
        Family(names, 0x3b0, "pmpaddr", 0, 63, "");
        Family(names, 0x320, "mhpmevent", 3, 31, "");
        Family(names, 0x720, "mhpmevent", 3, 31, "h");
        Family(names, 0xb00, "mhpmcounter", 3, 31, "");
        Family(names, 0xb80, "mhpmcounter", 3, 31, "h");
        Family(names, 0xc00, "hpmcounter", 3, 31, "");
        Family(names, 0xc80, "hpmcounter", 3, 31, "h");

        (int Number, string Name)[] single =
        [
            // Unprivileged: floating point, vector, entropy source, counters.
            (0x001, "fflags"), (0x002, "frm"), (0x003, "fcsr"),
            (0x008, "vstart"), (0x009, "vxsat"), (0x00a, "vxrm"), (0x00f, "vcsr"), (0x015, "seed"),
            (0xc00, "cycle"), (0xc01, "time"), (0xc02, "instret"),
            (0xc20, "vl"), (0xc21, "vtype"), (0xc22, "vlenb"),
            (0xc80, "cycleh"), (0xc81, "timeh"), (0xc82, "instreth"),

            // Supervisor.
            (0x100, "sstatus"), (0x104, "sie"), (0x105, "stvec"), (0x106, "scounteren"),
            (0x10a, "senvcfg"), (0x10c, "sstateen0"), (0x10d, "sstateen1"),
            (0x10e, "sstateen2"), (0x10f, "sstateen3"), (0x114, "sieh"), (0x140, "sscratch"),
            (0x141, "sepc"), (0x142, "scause"), (0x143, "stval"), (0x144, "sip"),
            (0x14d, "stimecmp"), (0x150, "siselect"), (0x151, "sireg"), (0x154, "siph"),
            (0x15c, "stopei"), (0x15d, "stimecmph"), (0x180, "satp"), (0x5a8, "scontext"),
            (0xda0, "scountovf"), (0xdb0, "stopi"),

            // Virtual supervisor and hypervisor.
            (0x200, "vsstatus"), (0x204, "vsie"), (0x205, "vstvec"), (0x214, "vsieh"),
            (0x240, "vsscratch"), (0x241, "vsepc"), (0x242, "vscause"), (0x243, "vstval"),
            (0x244, "vsip"), (0x24d, "vstimecmp"), (0x250, "vsiselect"), (0x251, "vsireg"),
            (0x254, "vsiph"), (0x25c, "vstopei"), (0x25d, "vstimecmph"), (0x280, "vsatp"),
            (0x600, "hstatus"), (0x602, "hedeleg"), (0x603, "hideleg"), (0x604, "hie"),
            (0x605, "htimedelta"), (0x606, "hcounteren"), (0x607, "hgeie"), (0x608, "hvien"),
            (0x609, "hvictl"), (0x60a, "henvcfg"), (0x60c, "hstateen0"), (0x60d, "hstateen1"),
            (0x60e, "hstateen2"), (0x60f, "hstateen3"), (0x613, "hidelegh"), (0x615, "htimedeltah"),
            (0x618, "hvienh"), (0x61a, "henvcfgh"), (0x61c, "hstateen0h"), (0x61d, "hstateen1h"),
            (0x61e, "hstateen2h"), (0x61f, "hstateen3h"), (0x643, "htval"), (0x644, "hip"),
            (0x645, "hvip"), (0x646, "hviprio1"), (0x647, "hviprio2"), (0x64a, "htinst"),
            (0x655, "hviph"), (0x656, "hviprio1h"), (0x657, "hviprio2h"), (0x680, "hgatp"),
            (0x6a8, "hcontext"), (0xe12, "hgeip"), (0xeb0, "vstopi"),

            // Machine.
            (0x300, "mstatus"), (0x301, "misa"), (0x302, "medeleg"), (0x303, "mideleg"),
            (0x304, "mie"), (0x305, "mtvec"), (0x306, "mcounteren"), (0x308, "mvien"),
            (0x309, "mvip"), (0x30a, "menvcfg"), (0x30c, "mstateen0"), (0x30d, "mstateen1"),
            (0x30e, "mstateen2"), (0x30f, "mstateen3"), (0x310, "mstatush"), (0x313, "midelegh"),
            (0x314, "mieh"), (0x318, "mvienh"), (0x319, "mviph"), (0x31a, "menvcfgh"),
            (0x31c, "mstateen0h"), (0x31d, "mstateen1h"), (0x31e, "mstateen2h"), (0x31f, "mstateen3h"),
            (0x320, "mcountinhibit"), (0x340, "mscratch"), (0x341, "mepc"), (0x342, "mcause"),
            (0x343, "mtval"), (0x344, "mip"), (0x34a, "mtinst"), (0x34b, "mtval2"),
            (0x350, "miselect"), (0x351, "mireg"), (0x354, "miph"), (0x35c, "mtopei"),
            (0x747, "mseccfg"), (0x757, "mseccfgh"),
            (0xb00, "mcycle"), (0xb02, "minstret"), (0xb80, "mcycleh"), (0xb82, "minstreth"),
            (0xf11, "mvendorid"), (0xf12, "marchid"), (0xf13, "mimpid"), (0xf14, "mhartid"),
            (0xf15, "mconfigptr"), (0xfb0, "mtopi"),

            // Debug and trigger module.
            (0x7a0, "tselect"), (0x7a1, "tdata1"), (0x7a2, "tdata2"), (0x7a3, "tdata3"),
            (0x7a4, "tinfo"), (0x7a5, "tcontrol"), (0x7a8, "mcontext"), (0x7aa, "mscontext"),
            (0x7b0, "dcsr"), (0x7b1, "dpc"), (0x7b2, "dscratch0"), (0x7b3, "dscratch1"),
        ];
        foreach (var (number, name) in single)
            names[number] = name;
        return names;
    }

    private static void Family(string?[] names, int zeroAt, string prefix, int first, int last, string suffix)
    {
        for (int i = first; i <= last; i++)
            names[zeroAt + i] = $"{prefix}{i}{suffix}";
    }
}
