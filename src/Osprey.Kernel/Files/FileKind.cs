namespace Osprey.Kernel.Files;

public enum FileKind
{
    /// <summary>A file or directory on disk.</summary>
    Inode,
    /// <summary>A device node: reads and writes go to the device's driver.</summary>
    Device,
    /// <summary>One end of a pipe.</summary>
    Pipe,
}
