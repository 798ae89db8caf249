namespace Osprey.Machine.Cpu;

/// <summary>How the interpreter loop runs, as a type argument so each mode is compiled on its own.</summary>
internal interface IInterpreterMode
{
    /// <summary>Stop after every jump and taken backward branch (for the JIT's dispatcher), or run to the end of the count.</summary>
    static abstract bool StopAtJumps { get; }
}

/// <summary>The interpreter on its own: runs the whole count.</summary>
internal struct RunThrough : IInterpreterMode
{
    static bool IInterpreterMode.StopAtJumps => false;
}

/// <summary>The interpreter as the JIT's first tier: returns at each jump and taken backward branch.</summary>
internal struct StopAtJumps : IInterpreterMode
{
    static bool IInterpreterMode.StopAtJumps => true;
}
