namespace Osprey.Kernel.Syscalls;

// Calls that need the file system's write side (the log, allocation, pipes): each returns
// -1 until that layer exists.
public sealed partial class SystemCalls
{
    private long Mknod() => -1;
    private long Unlink() => -1;
    private long Link() => -1;
    private long Mkdir() => -1;
}
