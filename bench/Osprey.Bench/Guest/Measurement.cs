namespace Osprey.Bench.Guest;

/// <summary>
/// One guest benchmark's best runs: osprey with the interpreter alone, osprey with the JIT, and
/// qemu. Osprey's times are the guest's execution as osprey reports it (the JIT's compiling runs
/// on a thread of its own, alongside); qemu's is its whole process, which is all that can be
/// measured from outside.
/// </summary>
internal sealed record Measurement(string Program, string Output, ulong Instructions,
    double InterpreterMilliseconds, double JitMilliseconds, JitFigures? Jit, double? QemuMilliseconds)
{
    public double InterpreterMips => Mips(InterpreterMilliseconds);

    public double JitMips => Mips(JitMilliseconds);

    /// <summary>Osprey's instruction count over qemu's time: both ran the same binary, so the same instructions.</summary>
    public double? QemuMips => QemuMilliseconds is double ms ? Mips(ms) : null;

    /// <summary>How many times longer the interpreter took than qemu.</summary>
    public double? InterpreterRatio => Ratio(InterpreterMilliseconds);

    /// <summary>How many times longer the JIT took than qemu.</summary>
    public double? JitRatio => Ratio(JitMilliseconds);

    private double? Ratio(double milliseconds) => QemuMilliseconds is double ms && ms > 0 ? milliseconds / ms : null;

    private double Mips(double milliseconds) => milliseconds > 0 ? Instructions / (milliseconds * 1000.0) : 0;
}
