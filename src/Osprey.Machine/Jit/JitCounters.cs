namespace Osprey.Machine.Jit;

/// <summary>
/// What one hart's dispatcher did with the JIT on: how often it called translated code, why
/// that code came back, and how many instructions the interpreter ran meanwhile. Counted by
/// the hart's own thread without atomics; read them when the hart is not running.
/// </summary>
public sealed class JitCounters
{
    /// <summary>Calls from the dispatcher into translated code (chained jumps between translations are not counted).</summary>
    public long Calls;

    /// <summary>Returns to the dispatcher, by <see cref="JitExit"/> (Continue, Stop, Interpret, ...).</summary>
    public readonly long[] Exits = new long[Enum.GetValues<JitExit>().Length];

    /// <summary>Instructions the interpreter retired while the JIT was on.</summary>
    public long Interpreted;

    /// <summary>Chain slots filled: direct jumps between translations that no longer return here.</summary>
    public long ChainsFilled;

    public JitCounters Copy()
    {
        var copy = new JitCounters { Calls = Calls, Interpreted = Interpreted, ChainsFilled = ChainsFilled };
        Exits.CopyTo(copy.Exits, 0);
        return copy;
    }

    /// <summary>One line of name=value pairs, for <c>--stats</c>.</summary>
    public override string ToString() =>
        $"calls={Calls} interpreted={Interpreted} chains={ChainsFilled} " +
        string.Join(' ', Enum.GetValues<JitExit>().Select(e => $"exit_{e.ToString().ToLowerInvariant()}={Exits[(int)e]}"));
}
