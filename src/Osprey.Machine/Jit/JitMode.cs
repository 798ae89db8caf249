namespace Osprey.Machine.Jit;

/// <summary>How a hart runs guest code (the <c>--jit</c> switch).</summary>
public enum JitMode
{
    /// <summary>The interpreter alone.</summary>
    Off,

    /// <summary>The interpreter first; code that runs often is translated and runs as host code.</summary>
    On,

    /// <summary>Every block is translated the first time it runs (threshold 1): for testing the translator.</summary>
    Forced,
}
