using Osprey.Kernel.Fs;

namespace Osprey.Kernel.Files;

/// <summary>
/// An open file (xv6's struct file): what a file descriptor points at. Shared by every
/// descriptor that dup or fork copied from the same open, so they share the offset.
/// The file table's lock protects <see cref="References"/>; the inode's sleep lock
/// protects <see cref="Offset"/>, which only reads and writes of an inode file touch.
/// </summary>
public sealed class OpenFile
{
    internal OpenFile(FileKind kind, bool readable, bool writable, Inode? inode, short major, Pipe? pipe = null)
    {
        Pipe = pipe;
        Kind = kind;
        Readable = readable;
        Writable = writable;
        Inode = inode;
        Major = major;
        References = 1;
    }

    public FileKind Kind { get; }

    public bool Readable { get; }

    public bool Writable { get; }

    /// <summary>The file's inode (device nodes too, for fstat).</summary>
    public Inode? Inode { get; }

    /// <summary>The device's major number, for device files.</summary>
    public short Major { get; }

    public ulong Offset { get; internal set; }

    /// <summary>The pipe, for either end of one.</summary>
    public Pipe? Pipe { get; }

    internal int References { get; set; }
}
