namespace Osprey.Kernel.Insight;

/// <summary>
/// The names and messages of Linux's errno values (the asm-generic numbering), for showing the
/// -errno results of the Linux-numbered calls the way strace does.
/// </summary>
public static class LinuxErrno
{
    private static readonly (string Name, string Message)[] Table =
    [
        ("", ""),
        ("EPERM", "Operation not permitted"),
        ("ENOENT", "No such file or directory"),
        ("ESRCH", "No such process"),
        ("EINTR", "Interrupted system call"),
        ("EIO", "Input/output error"),
        ("ENXIO", "No such device or address"),
        ("E2BIG", "Argument list too long"),
        ("ENOEXEC", "Exec format error"),
        ("EBADF", "Bad file descriptor"),
        ("ECHILD", "No child processes"),
        ("EAGAIN", "Resource temporarily unavailable"),
        ("ENOMEM", "Cannot allocate memory"),
        ("EACCES", "Permission denied"),
        ("EFAULT", "Bad address"),
        ("ENOTBLK", "Block device required"),
        ("EBUSY", "Device or resource busy"),
        ("EEXIST", "File exists"),
        ("EXDEV", "Invalid cross-device link"),
        ("ENODEV", "No such device"),
        ("ENOTDIR", "Not a directory"),
        ("EISDIR", "Is a directory"),
        ("EINVAL", "Invalid argument"),
        ("ENFILE", "Too many open files in system"),
        ("EMFILE", "Too many open files"),
        ("ENOTTY", "Inappropriate ioctl for device"),
        ("ETXTBSY", "Text file busy"),
        ("EFBIG", "File too large"),
        ("ENOSPC", "No space left on device"),
        ("ESPIPE", "Illegal seek"),
        ("EROFS", "Read-only file system"),
        ("EMLINK", "Too many links"),
        ("EPIPE", "Broken pipe"),
        ("EDOM", "Numerical argument out of domain"),
        ("ERANGE", "Numerical result out of range"),
        ("EDEADLK", "Resource deadlock avoided"),
        ("ENAMETOOLONG", "File name too long"),
        ("ENOLCK", "No locks available"),
        ("ENOSYS", "Function not implemented"),
        ("ENOTEMPTY", "Directory not empty"),
    ];

    /// <summary>"ENOENT (No such file or directory)" for 2; "E123" for a number past the table.</summary>
    public static string Describe(int errno) =>
        errno > 0 && errno < Table.Length ? $"{Table[errno].Name} ({Table[errno].Message})" : $"E{errno}";
}
