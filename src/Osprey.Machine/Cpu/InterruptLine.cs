namespace Osprey.Machine.Cpu;

/// <summary>
/// Interrupt lines into a hart, numbered as the supervisor interrupt causes of the
/// privileged specification (the bit numbers of sip).
/// </summary>
public enum InterruptLine
{
    /// <summary>Inter-processor interrupt.</summary>
    Software = 1,
    Timer = 5,
    /// <summary>A device.</summary>
    External = 9,
}
