using Osprey.Kernel.Tests.Support;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// Fault injection and fsck from the command line, as a user runs them: a run whose disk stops
/// exits 137 with one line, fsck judges the image it left, and the next boot recovers it.
/// </summary>
public sealed class CrashCommandTests : IDisposable
{
    private readonly TemporaryFile _image = new();

    public CrashCommandTests() => File.Copy(DefaultImage.Path, _image.Path, overwrite: true);

    public void Dispose() => _image.Dispose();

    [Fact]
    public void ARunWhoseDiskStopsExits137AndTheNextBootRecovers()
    {
        string[] work = ["crashwork", "mkdir k", "create k/a", "append k/a 3000 1", "link k/a k/b", "unlink k/a"];
        (int status, string stdout, string stderr) = OspreyProcess.Run(["run", "--cpus", "1", "--disk", _image.Path, "--crash-after-writes", "20", .. work]);
        Assert.Equal(137, status);
        Assert.Equal("osprey: the disk stopped after 20 writes (fault injection); machine halted\n", stderr);
        Assert.DoesNotContain("done 5", stdout);

        (status, stdout, stderr) = OspreyProcess.Run(["fsck", _image.Path]);
        Assert.True(status == 0, stdout + stderr);
        Assert.Matches($@"{_image.Path}: clean: \d+ files, \d director", stdout);

        (status, _, stderr) = OspreyProcess.Run(["run", "--disk", _image.Path, "exitcode", "0"]);
        Assert.True(status == 0, stderr);
        (status, stdout, _) = OspreyProcess.Run(["fsck", _image.Path]);
        Assert.Equal(0, status);
        Assert.DoesNotContain("log:", stdout); // the boot installed and cleared the log
    }

    [Fact]
    public void ARunThatWritesLessThanNExitsWithItsOwnStatus()
    {
        (int status, _, string stderr) = OspreyProcess.Run(["run", "--disk", _image.Path, "--crash-after-writes", "100000", "exitcode", "7"]);
        Assert.Equal(7, status);
        Assert.Equal("", stderr);
    }

    [Theory]
    [InlineData("run", "0")]
    [InlineData("boot", "-3")]
    public void NMustBeAtLeastOne(string command, string n)
    {
        string[] args = command == "run" ? ["run", "--crash-after-writes", n, "exitcode"] : ["boot", "--crash-after-writes", n];
        (int status, string stdout, string stderr) = OspreyProcess.Run(args);
        Assert.Equal(2, status);
        Assert.Equal("", stdout);
        Assert.Equal($"osprey: {Commands.CrashOption.Error} (see 'osprey --help')\n", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public void NMustBeANumber(string n)
    {
        (int status, string stdout, string stderr) = OspreyProcess.Run(["run", "--crash-after-writes", n, "exitcode"]);
        Assert.Equal(2, status);
        Assert.Equal("", stdout);
        Assert.Equal($"osprey: {Commands.CrashOption.Error} (see 'osprey --help')\n", stderr);
    }
}
