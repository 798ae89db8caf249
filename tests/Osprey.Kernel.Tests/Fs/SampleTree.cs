using System.Text;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>
/// The image most file-system tests read: files of every interesting size in the root (empty,
/// one byte, exactly one block, exactly the 12 direct blocks, the first indirect block, near
/// and at the largest file), a 14-byte name, nested directories, and the console device.
/// <see cref="Files"/> holds what each path must read back as.
/// </summary>
internal static class SampleTree
{
    public const string FourteenByteName = "abcdefghijklmn";

    public static readonly IReadOnlyDictionary<string, byte[]> Files = MakeFiles();

    public static readonly string[] Directories = ["a", "a/b", "a/b/c", "empty-dir"];

    /// <summary>The order things are added in, and so their inode numbers (root is 1).</summary>
    public static readonly string[] Order =
    [
        "README", "empty", "one", "block", "direct12", "indirect", "nearmax", "max", FourteenByteName,
        "a", "a/b", "a/b/c", "a/top", "a/b/middle", "a/b/c/deep", "empty-dir", "console",
    ];

    public static byte[] Build(int? size = null, int? inodes = null)
    {
        var builder = new ImageBuilder { Size = size, Inodes = inodes };
        foreach (string path in Order)
        {
            if (path == "console")
                builder.AddDevice(path, 1, 0);
            else if (Directories.Contains(path))
                builder.AddDirectory(path);
            else
                builder.AddFile(path, Files[path]);
        }
        return builder.Build();
    }

    public static uint InumOf(string path) => (uint)Array.IndexOf(Order, path) + 2;

    /// <summary>Bytes in the root directory: ".", "..", and an entry for each top-level name.</summary>
    public static ulong RootSize => (ulong)(2 + Order.Count(p => !p.Contains('/'))) * DirectoryEntry.EncodedLength;

    private static Dictionary<string, byte[]> MakeFiles()
    {
        var readme = new StringBuilder("Osprey disk image\n");
        while (readme.Length < 1500) // two blocks, less than full
            readme.Append("Every line of this file is the same, give or take its number: ").Append(readme.Length).Append('\n');
        return new Dictionary<string, byte[]>
        {
            ["README"] = Encoding.ASCII.GetBytes(readme.ToString()),
            ["empty"] = [],
            ["one"] = [0x5a],
            ["block"] = RandomBytes(1, FsLayout.BlockSize),
            ["direct12"] = RandomBytes(2, FsLayout.DirectBlocks * FsLayout.BlockSize),
            ["indirect"] = RandomBytes(3, FsLayout.DirectBlocks * FsLayout.BlockSize + 7),
            ["nearmax"] = RandomBytes(4, (int)FsLayout.MaxFileSize - 100),
            ["max"] = RandomBytes(5, (int)FsLayout.MaxFileSize),
            [FourteenByteName] = RandomBytes(6, 3000),
            ["a/top"] = RandomBytes(7, 2048),
            ["a/b/middle"] = RandomBytes(8, 500),
            ["a/b/c/deep"] = Encoding.ASCII.GetBytes("at the bottom\n"),
        };
    }

    public static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
