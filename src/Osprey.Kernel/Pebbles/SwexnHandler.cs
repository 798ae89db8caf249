namespace Osprey.Kernel.Pebbles;

/// <summary>
/// A thread's registered software exception handler (swexn): where its exception stack ends
/// (esp3), the handler's address (eip) and the argument it is given. Registered per thread,
/// given up when it runs (the handler re-registers if it wants more), copied by fork to the
/// child's thread, not by thread_fork, cleared by exec.
/// </summary>
public sealed record SwexnHandler(ulong Stack, ulong Handler, ulong Argument);
