using Osprey.Kernel.Files;

namespace Osprey.Kernel.Syscalls;

// isatty: Osprey's own call.
public sealed partial class SystemCalls
{
    /// <summary>
    /// isatty(fd): 1 when fd is a device a person types at (the console under osprey boot on a
    /// terminal), 0 for any other open file, -1 for a descriptor that is not open.
    /// </summary>
    private long Isatty()
    {
        using HeldFile held = ArgFile(0);
        if (held.File is not { } f)
            return -1;
        return f.Kind == FileKind.Device && kernel.Devices[f.Major] is { IsTerminal: true } ? 1 : 0;
    }
}
