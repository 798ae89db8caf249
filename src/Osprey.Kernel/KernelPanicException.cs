namespace Osprey.Kernel;

/// <summary>
/// Thrown by <see cref="Panic.Now"/>: a kernel bug. It carries the CPU and thread it happened
/// on; the boot code prints it with the stack trace and stops the machine.
/// </summary>
public sealed class KernelPanicException(string message) : Exception(message);
