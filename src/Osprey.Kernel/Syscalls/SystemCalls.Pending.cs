namespace Osprey.Kernel.Syscalls;

// Calls the kernel core does not implement yet; each returns -1 until its layer exists.
public sealed partial class SystemCalls
{
    private long Pipe() => -1;
    private long Read() => -1;
    private long Exec() => -1;
    private long Fstat() => -1;
    private long Chdir() => -1;
    private long Dup() => -1;
    private long Open() => -1;
    private long Write() => -1;
    private long Mknod() => -1;
    private long Unlink() => -1;
    private long Link() => -1;
    private long Mkdir() => -1;
    private long Close() => -1;
}
