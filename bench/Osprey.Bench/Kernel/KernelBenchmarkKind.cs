namespace Osprey.Bench.Kernel;

/// <summary>How a kernel benchmark is measured, and on which disk it runs.</summary>
internal enum KernelBenchmarkKind
{
    /// <summary>The program times its own loop with rdtime and prints a result line; on the bench disk.</summary>
    Loop,

    /// <summary>The wall time of a whole <c>osprey run</c> process, start-up included; on the bench disk.</summary>
    Boot,

    /// <summary>
    /// The wall time of a whole <c>osprey run</c> of a test suite on the default disk (a private
    /// copy of build/fs.img), which holds the programs the suite runs.
    /// </summary>
    Suite,
}
