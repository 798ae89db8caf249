namespace Osprey.Kernel.Exec;

/// <summary>Where exec reads a program from: a file on disk, or bytes the host supplied.</summary>
public interface IExecutableFile
{
    /// <summary>Reads up to destination.Length bytes at offset; returns bytes read (0 at end), or -1.</summary>
    int Read(ulong offset, Span<byte> destination);
}
