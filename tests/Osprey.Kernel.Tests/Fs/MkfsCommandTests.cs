using Osprey.Commands;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Fs;

/// <summary>`osprey mkfs IMAGE FILES...`: what lands in the image, and one-line errors with status 2.</summary>
public sealed class MkfsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"osprey-mkfs-{Guid.NewGuid():N}");

    public MkfsCommandTests()
    {
        System.IO.Directory.CreateDirectory(_dir);
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private string Input(string relative, byte[] contents)
    {
        string path = Path.Combine(_dir, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        return path;
    }

    private string ImagePath => Path.Combine(_dir, "fs.img");

    private (int Status, string Error) Run(IReadOnlyList<string> files, int? size = null, int? inodes = null)
    {
        var error = new StringWriter();
        int status = MkfsCommand.Run(ImagePath, files, size, inodes, error);
        return (status, error.ToString());
    }

    [Fact]
    public void FilesGoInTheRootUnderTheirBaseNamesWithTheConsole()
    {
        string readme = Input("src/README", SampleTree.Files["README"]);
        string program = Input("build/user/xv6/indirect", SampleTree.Files["indirect"]);
        var (status, error) = Run([readme, program]);
        Assert.Equal(0, status);
        Assert.Equal("", error);

        var reader = ImageReader.Open(ImagePath);
        Assert.Equal(2000u, reader.Superblock.Size);
        Assert.Equal(200u, reader.Superblock.Inodes);
        Assert.Equal([".", "..", "README", "indirect", "console"], reader.ListDirectory("/").Select(e => e.NameText));
        Assert.Equal(SampleTree.Files["README"], reader.ReadFile("README"));
        Assert.Equal(SampleTree.Files["indirect"], reader.ReadFile("indirect"));
        DiskInode console = reader.ReadInode(reader.Lookup("console")!.Value);
        Assert.Equal(InodeType.Device, console.Type);
        Assert.Equal(1, console.Major);
        Assert.Equal(0, console.Minor);
    }

    [Fact]
    public void SizeAndInodesAreHonoured()
    {
        var (status, _) = Run([Input("f", [1, 2, 3])], size: 300, inodes: 32);
        Assert.Equal(0, status);
        var reader = ImageReader.Open(ImagePath);
        Assert.Equal(300u, reader.Superblock.Size);
        Assert.Equal(32u, reader.Superblock.Inodes);
        Assert.Equal(300 * FsLayout.BlockSize, new FileInfo(ImagePath).Length);
    }

    [Fact]
    public void AnImageWithNoFilesHoldsTheRootAndTheConsole()
    {
        Assert.Equal(0, Run([]).Status);
        Assert.Equal([".", "..", "console"], ImageReader.Open(ImagePath).ListDirectory("/").Select(e => e.NameText));
    }

    [Theory]
    [InlineData("fifteen-bytes.c", "at most 14")]
    [InlineData("console", "kept for the console")]
    public void BadNamesGiveOneLineAndStatusTwo(string name, string message)
    {
        var (status, error) = Run([Input(name, [1])]);
        Assert.Equal(2, status);
        Assert.Contains(message, error);
        Assert.StartsWith("osprey: mkfs: ", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void TwoFilesWithOneBaseNameAreRefused()
    {
        var (status, error) = Run([Input("x/same", [1]), Input("y/same", [2])]);
        Assert.Equal(2, status);
        Assert.Contains("already an entry named 'same'", error);
    }

    [Fact]
    public void MissingInputsTooBigFilesAndTooSmallImagesAreRefused()
    {
        Assert.Contains("cannot read", Run([Path.Combine(_dir, "nothere")]).Error);
        Assert.Contains("largest xv6 file", Run([Input("big", new byte[FsLayout.MaxFileSize + 1])]).Error);
        Assert.Contains("at least", Run([Input("f", new byte[5000])], size: 50).Error);
        Assert.Contains("--size", Run([], size: 0).Error);
        Assert.Contains("--inodes", Run([], inodes: 1).Error);
        Assert.Equal(2, Run([], inodes: 1).Status);
    }
}
