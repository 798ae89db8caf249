using System.CommandLine;
using Osprey.Fsck;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey fsck IMAGE</c>: checks that an xv6 disk image is a consistent file system (see
/// <see cref="FileSystemChecker"/>) without changing it. Prints one line per problem, then a
/// summary; exits 0 when clean (warnings allowed), 1 when there are problems, and 2 with one
/// line when the image cannot be read or is not an xv6 file system.
/// </summary>
public static class FsckCommand
{
    public const int ProblemsFound = 1;

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "The disk image to check (it is not changed)" };
        var command = new Command("fsck", "Check an xv6 disk image: blocks, bitmap, directories and link counts (a committed log is replayed first, on a copy)");
        command.Arguments.Add(image);
        command.SetAction(parse => Run(parse.GetValue(image)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string path, TextWriter output, TextWriter error)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, e is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file" : $"cannot read {path}: {e.Message}");
        }
        FsckReport report;
        try
        {
            report = FileSystemChecker.Check(bytes);
        }
        catch (InvalidDataException e)
        {
            return Fail(error, $"{path}: {e.Message}");
        }
        foreach (string line in report.Lines(path))
            output.WriteLine(line);
        return report.Clean ? 0 : ProblemsFound;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"osprey: fsck: {message}");
        return CommandLine.UsageError;
    }
}
