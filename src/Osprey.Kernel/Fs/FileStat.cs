using System.Buffers.Binary;

namespace Osprey.Kernel.Fs;

/// <summary>
/// What fstat and stat report: xv6's struct stat, 24 bytes as a user program sees it:
/// <code>
///   0 int dev   4 uint ino   8 short type   10 short nlink   (12..15 padding)   16 uint64 size
/// </code>
/// </summary>
public readonly record struct FileStat(int Device, uint Inode, InodeType Type, short Nlink, ulong Size)
{
    public const int EncodedLength = 24;

    /// <summary>The struct as the user ABI lays it out (padding zeroed), ready for copyout.</summary>
    public void WriteTo(Span<byte> bytes)
    {
        bytes[..EncodedLength].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Device);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], Inode);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[8..], (short)Type);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[10..], Nlink);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], Size);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }
}
