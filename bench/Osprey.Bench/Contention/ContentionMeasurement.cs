namespace Osprey.Bench.Contention;

/// <summary>
/// One run of a workload: its wall time, the frame operations it caused (allocations plus
/// frees at the allocator's front door), the kmem locks' figures summed over the class (kmem, or
/// every kmem.cpuN), percpu's steals, and what the workload itself said (kalloctest's verdict).
/// </summary>
internal sealed record ContentionMeasurement(
    string Workload, string Allocator, int Cpus, double Seconds, long PageOperations,
    long Acquisitions, long Contended, long Spins, long Steals, string Verdict)
{
    public double OperationsPerSecond => Seconds > 0 ? PageOperations / Seconds : 0;

    public double ContendedShare => Acquisitions > 0 ? (double)Contended / Acquisitions : 0;
}
