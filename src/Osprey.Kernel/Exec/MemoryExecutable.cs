namespace Osprey.Kernel.Exec;

/// <summary>A program the host hands the kernel as bytes (osprey run with a host file, tests).</summary>
public sealed class MemoryExecutable(byte[] bytes) : IExecutableFile
{
    public int Read(ulong offset, Span<byte> destination)
    {
        if (offset >= (ulong)bytes.Length)
            return 0;
        int n = (int)Math.Min((ulong)destination.Length, (ulong)bytes.Length - offset);
        bytes.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }
}
