using System.Buffers.Binary;
using System.Text;
using static Osprey.Machine.Tests.Differential.StreamLayout;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Explains a stream on which the machine under test and the reference disagree: rebuilds the
/// stream cut to shorter and shorter prefixes, bisects to the first item after which their
/// outputs differ, and describes that item, its operands and the differing state.
/// </summary>
internal sealed class DivergenceFinder(IGuestRunner reference, IGuestRunner subject, string workDirectory)
{
    /// <summary>How many prefix programs the last <see cref="Explain"/> built and ran.</summary>
    public int Probes { get; private set; }

    /// <summary>The index of the first diverging item, -1 for the prologue or epilogue, or null if the stream alone does not diverge.</summary>
    public int? LastIndex { get; private set; }

    public string Explain(RandomStream stream)
    {
        var runs = new Dictionary<int, (RunOutput Reference, RunOutput Subject)>();
        Probes = 0;
        (RunOutput Reference, RunOutput Subject) Run(int prefix)
        {
            if (!runs.TryGetValue(prefix, out var pair))
            {
                string source = StreamProgram.Source([(stream, prefix)]);
                string elf = HostTools.Assemble(source, workDirectory, $"stream{stream.Index}-prefix{prefix}");
                pair = (reference.Run(elf, []), subject.Run(elf, []));
                runs[prefix] = pair;
                Probes++;
            }
            return pair;
        }
        bool Diverges(int prefix)
        {
            var (r, s) = Run(prefix);
            return !r.SameAs(s);
        }

        int length = stream.Items.Count;
        if (!Diverges(length))
        {
            LastIndex = null;
            return $"{stream.Name}: diverged when run among other streams but not alone " +
                $"(state carried between streams, such as decoded code or the TLB?); sources in {workDirectory}";
        }
        int k = Bisector.FirstDivergingPrefix(length, Diverges);
        LastIndex = k - 1;
        var report = new StringBuilder();
        var (after, afterSubject) = runs[k];
        if (k == 0)
        {
            report.AppendLine($"{stream.Name}: {subject.Name} and {reference.Name} differ even with no items (prologue or epilogue):");
        }
        else
        {
            StreamItem item = stream.Items[k - 1];
            report.AppendLine($"{stream.Name}: {subject.Name} and {reference.Name} first diverge at item {k - 1}:");
            foreach (string line in item.Text.Split('\n'))
                report.AppendLine($"        {line}");
            if (item.IsBranch)
                report.AppendLine($"    (jumps to item {item.Target}{(item.Target == length ? ", the epilogue" : "")})");
            RunOutput before = runs[k - 1].Reference;
            report.AppendLine("    operands before it (both agree):");
            foreach (string name in OperandNames(item.Text))
            {
                int r = Array.IndexOf(RegisterNames, name);
                ulong? word = r == 0 ? 0 : r > 0 ? Register(before.Stdout, r) : FloatRegister(before.Stdout, Array.IndexOf(FloatRegisterNames, name));
                string value = word is ulong v ? $"0x{v:x16}" : "?";
                report.AppendLine($"      {name} = {value}");
            }
            if (item.Text.Contains("dyn", StringComparison.Ordinal) || item.Text.StartsWith('f'))
                report.AppendLine($"      fcsr = {Hex(Fcsr(before.Stdout))}");
        }
        Describe(report, after, afterSubject);
        string program = Path.Combine(workDirectory, $"stream{stream.Index}-prefix{k}");
        report.Append($"    reproduce: qemu-riscv64 {program}; osprey emulate --abi linux {program} (source: {program}.S)");
        return report.ToString();
    }

    private void Describe(StringBuilder report, RunOutput r, RunOutput s)
    {
        report.AppendLine("    after it:");
        if (r.ExitCode != s.ExitCode)
            report.AppendLine($"      exit status: {reference.Name} {r.ExitCode}, {subject.Name} {s.ExitCode}");
        for (int reg = 1; reg < 32; reg++)
        {
            ulong? a = Register(r.Stdout, reg), b = Register(s.Stdout, reg);
            if (a != b)
                report.AppendLine($"      {RegisterNames[reg]}: {reference.Name} {Hex(a)}, {subject.Name} {Hex(b)}");
        }
        for (int reg = 0; reg < 32; reg++)
        {
            ulong? a = FloatRegister(r.Stdout, reg), b = FloatRegister(s.Stdout, reg);
            if (a != b)
                report.AppendLine($"      {FloatRegisterNames[reg]}: {reference.Name} {Hex(a)}, {subject.Name} {Hex(b)}");
        }
        if (Fcsr(r.Stdout) != Fcsr(s.Stdout))
            report.AppendLine($"      fcsr: {reference.Name} {Hex(Fcsr(r.Stdout))}, {subject.Name} {Hex(Fcsr(s.Stdout))}");
        int shown = 0;
        for (int offset = 0; offset < ScratchBytes; offset += 8)
        {
            ulong? a = Word(r.Stdout, ScratchOutputOffset + offset), b = Word(s.Stdout, ScratchOutputOffset + offset);
            if (a != b && shown++ < 16)
                report.AppendLine($"      scratch+0x{offset:x3} (sp+{offset}, s0{offset - S0Offset:+#;-#;+0}): {reference.Name} {Hex(a)}, {subject.Name} {Hex(b)}");
        }
        if (shown > 16)
            report.AppendLine($"      ... and {shown - 16} more differing scratch words");
        foreach ((string who, RunOutput o) in new[] { (reference.Name, r), (subject.Name, s) })
        {
            if (o.Messages.Trim().Length > 0)
                report.AppendLine($"      {who} said: {o.Messages.Trim()}");
        }
    }

    private static IEnumerable<string> OperandNames(string text) =>
        text.Split([' ', ',', '(', ')', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => RegisterNames.Contains(t) || FloatRegisterNames.Contains(t)).Distinct();

    private static ulong? Register(byte[] output, int register) => Word(output, 8 * (register - 1));

    private static ulong? FloatRegister(byte[] output, int register) => Word(output, DumpBytes + 8 * register);

    private static ulong? Fcsr(byte[] output) => Word(output, DumpBytes + 8 * 32);

    private static ulong? Word(byte[] output, int offset) =>
        offset + 8 <= output.Length ? BinaryPrimitives.ReadUInt64LittleEndian(output.AsSpan(offset)) : null;

    private static string Hex(ulong? value) => value is ulong v ? $"0x{v:x16}" : "(not written)";
}
