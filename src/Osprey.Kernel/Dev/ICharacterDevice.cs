using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Dev;

/// <summary>A device file's operations (xv6's devsw entry). Both return bytes moved, or -1.</summary>
public interface ICharacterDevice
{
    int Read(UserBuffer destination, int count);

    int Write(UserBuffer source, int count);

    /// <summary>Whether a person types at this device (what isatty reports).</summary>
    bool IsTerminal { get; }
}
