using Osprey.Kernel.Fs;

namespace Osprey.Kernel.Exec;

/// <summary>A program file on disk; the caller holds the inode's lock while exec reads it.</summary>
public sealed class InodeExecutable(InodeCache inodes, Inode inode) : IExecutableFile
{
    public int Read(ulong offset, Span<byte> destination) => inodes.Read(inode, offset, destination);
}
