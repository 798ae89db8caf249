using System.Text;

namespace Osprey.Gdb;

/// <summary>
/// What gdb is told the target is (qXfer:features:read of target.xml): riscv:rv64 with the
/// integer registers and pc (org.gnu.gdb.riscv.cpu) and the F/D registers with fflags, frm
/// and fcsr (org.gnu.gdb.riscv.fpu). Register numbers, which g/G and p/P use, count up in
/// this order: x0..x31 are 0..31, pc 32, f0..f31 33..64, fflags 65, frm 66, fcsr 67.
/// </summary>
public static class TargetDescription
{
    public const int Pc = 32, FirstFloat = 33, Fflags = 65, Frm = 66, Fcsr = 67, Count = 68;

    private static readonly string[] IntegerNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    private static readonly string[] FloatNames =
    [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ];

    /// <summary>The size in bytes of register <paramref name="n"/>.</summary>
    public static int SizeOf(int n) => n >= Fflags ? 4 : 8;

    public static readonly string Xml = Build();

    private static string Build()
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        xml.Append("  <architecture>riscv:rv64</architecture>\n");
        xml.Append("  <feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < IntegerNames.Length; i++)
        {
            string type = i switch { 1 => "code_ptr", 2 or 8 => "data_ptr", _ => "int" };
            xml.Append($"    <reg name=\"{IntegerNames[i]}\" bitsize=\"64\" type=\"{type}\" regnum=\"{i}\"/>\n");
        }
        xml.Append($"    <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{Pc}\"/>\n");
        xml.Append("  </feature>\n  <feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        for (int i = 0; i < FloatNames.Length; i++)
            xml.Append($"    <reg name=\"{FloatNames[i]}\" bitsize=\"64\" type=\"ieee_double\" regnum=\"{FirstFloat + i}\"/>\n");
        xml.Append($"    <reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"{Fflags}\" group=\"float\"/>\n");
        xml.Append($"    <reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"{Frm}\" group=\"float\"/>\n");
        xml.Append($"    <reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"{Fcsr}\" group=\"float\"/>\n");
        xml.Append("  </feature>\n</target>\n");
        return xml.ToString();
    }
}
