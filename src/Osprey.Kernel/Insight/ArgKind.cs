namespace Osprey.Kernel.Insight;

/// <summary>
/// How strace and traces show one system-call argument. abi/gen.awk reads the kind from the
/// call's C prototype in abi/syscalls.tbl (its header says which type and name gives which).
/// </summary>
public enum ArgKind
{
    /// <summary>A C int, in decimal.</summary>
    Int,

    /// <summary>An unsigned int, in decimal.</summary>
    Unsigned,

    /// <summary>An address shown as hex (NULL for 0): memory the call reads or writes in a layout of its own.</summary>
    Pointer,

    /// <summary>A NUL-terminated string the call reads (a path).</summary>
    String,

    /// <summary>A NULL-terminated array of strings (exec's argv).</summary>
    Argv,

    /// <summary>Bytes the call reads: as many as the next argument says (write's buffer).</summary>
    InBuffer,

    /// <summary>Bytes the call fills: as many as it returns (read's buffer), shown after it returns.</summary>
    OutBuffer,

    /// <summary>One int the call stores (wait's status), shown after it returns.</summary>
    IntOut,

    /// <summary>Two ints the call stores (pipe's descriptors), shown after it returns.</summary>
    IntPairOut,

    /// <summary>open's flags: the O_ names of abi/constants.tbl joined by |.</summary>
    OpenFlags,
}
