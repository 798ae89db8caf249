namespace Osprey.Bench.Guest;

/// <summary>
/// One guest benchmark's best runs. Osprey's time is the guest's execution as osprey reports
/// it; qemu's is its whole process, which is all that can be measured from outside.
/// </summary>
internal sealed record Measurement(string Program, string Output, ulong Instructions, double OspreyMilliseconds, double? QemuMilliseconds)
{
    public double OspreyMips => Mips(OspreyMilliseconds);

    /// <summary>Osprey's instruction count over qemu's time: both ran the same binary, so the same instructions.</summary>
    public double? QemuMips => QemuMilliseconds is double ms ? Mips(ms) : null;

    /// <summary>How many times longer osprey took than qemu.</summary>
    public double? Ratio => QemuMilliseconds is double ms && ms > 0 ? OspreyMilliseconds / ms : null;

    private double Mips(double milliseconds) => milliseconds > 0 ? Instructions / (milliseconds * 1000.0) : 0;
}
