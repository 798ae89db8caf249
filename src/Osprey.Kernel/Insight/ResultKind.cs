namespace Osprey.Kernel.Insight;

/// <summary>What a system call returns, for showing its result.</summary>
public enum ResultKind
{
    /// <summary>A number, or an error in its family's convention.</summary>
    Int,

    /// <summary>An unsigned number (get_ticks).</summary>
    Unsigned,

    /// <summary>An address (sbrk's old break), or -1.</summary>
    Pointer,

    /// <summary>The call does not return (exit, vanish): strace shows "= ?".</summary>
    None,
}
