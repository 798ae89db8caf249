using System.Buffers.Binary;
using System.Text;

namespace Osprey.Kernel.Fs;

/// <summary>
/// One 16-byte entry of a directory's contents (xv6's struct dirent): a little-endian ushort
/// inode number, then a 14-byte name padded with NULs. A name of exactly 14 bytes has no NUL
/// at all. Inode number 0 marks a free slot.
/// </summary>
public readonly struct DirectoryEntry
{
    public const int EncodedLength = FsLayout.DirectoryEntrySize;

    private readonly byte[]? _name;

    /// <summary>An entry naming inode <paramref name="inum"/>; the name must be 1..14 bytes with no NUL or '/'.</summary>
    public DirectoryEntry(ushort inum, ReadOnlySpan<byte> name)
    {
        if (!IsValidName(name))
            throw new ArgumentException($"'{Encoding.UTF8.GetString(name)}' is not a directory entry name (1 to {FsLayout.NameLength} bytes, no NUL or '/')", nameof(name));
        Inum = inum;
        _name = name.ToArray();
    }

    private DirectoryEntry(ushort inum, byte[] name)
    {
        Inum = inum;
        _name = name;
    }

    public ushort Inum { get; }

    /// <summary>The name's bytes, without padding.</summary>
    public ReadOnlySpan<byte> Name => _name;

    /// <summary>The name as text (UTF-8), for tools and messages.</summary>
    public string NameText => Encoding.UTF8.GetString(Name);

    public bool IsFree => Inum == 0;

    public static DirectoryEntry Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < EncodedLength)
            throw new ArgumentException($"a directory entry needs {EncodedLength} bytes, not {bytes.Length}", nameof(bytes));
        ReadOnlySpan<byte> field = bytes.Slice(2, FsLayout.NameLength);
        int end = field.IndexOf((byte)0);
        return new DirectoryEntry(BinaryPrimitives.ReadUInt16LittleEndian(bytes), field[..(end < 0 ? field.Length : end)].ToArray());
    }

    public void WriteTo(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, Inum);
        Span<byte> field = bytes.Slice(2, FsLayout.NameLength);
        field.Clear();
        Name.CopyTo(field);
    }

    /// <summary>What a directory may hold as a name: 1..14 bytes, none of them NUL or '/'.</summary>
    public static bool IsValidName(ReadOnlySpan<byte> name) =>
        name.Length is > 0 and <= FsLayout.NameLength && !name.ContainsAny((byte)0, (byte)'/');

    public override string ToString() => $"{Inum} {NameText}";
}
