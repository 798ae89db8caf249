namespace Osprey.Kernel.Insight;

/// <summary>
/// One line of abi/syscalls.tbl as strace needs it: the call's number and name, the family
/// that owns it (which fixes how errors look: xv6 and osprey -1, pebbles a negative code,
/// linux -errno), and the kinds of its result and arguments. Generated into
/// <see cref="Syscalls.SyscallSignatures"/>.
/// </summary>
public sealed record SyscallSignature(long Number, string Name, string Family, ResultKind Result, ArgKind[] Arguments);
