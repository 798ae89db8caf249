namespace Osprey.Kernel.Proc;

/// <summary>
/// Which course's conventions a program follows where the two differ. exec reads it from the
/// program: a Pebbles program carries an ELF note (name "Osprey", type
/// OSPREY_NOTE_PERSONALITY, a 4-byte descriptor holding PERSONALITY_PEBBLES; see
/// abi/constants.tbl), and a program without one is an xv6 program. fork copies it.
/// </summary>
public enum Personality
{
    /// <summary>A fault kills the whole process with status -1.</summary>
    Xv6 = 0,

    /// <summary>A fault kills only the faulting thread, and makes the task's exit status -2.</summary>
    Pebbles = 1,
}
