namespace Osprey.Kernel.Dev;

public enum InputEventKind
{
    /// <summary>Bytes given to the UART at the start of a turn (a person typed while the machine ran).</summary>
    AtTurn,

    /// <summary>Bytes given when the machine was quiescent (every CPU idle).</summary>
    WhenIdle,

    /// <summary>The input ended, at a quiescent moment.</summary>
    EndOfInput,

    /// <summary>The input ended at the start of a turn (a terminal closed while the machine ran).</summary>
    EndAtTurn,

    /// <summary>The machine was powered off at the start of a turn.</summary>
    Halt,
}
