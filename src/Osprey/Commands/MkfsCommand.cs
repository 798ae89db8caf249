using System.CommandLine;
using Osprey.Mkfs;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey mkfs [--size BLOCKS] [--inodes N] IMAGE [FILES...]</c>: writes an xv6 file system
/// holding each FILE in its root directory under its base name, plus the console device node.
/// </summary>
public static class MkfsCommand
{
    /// <summary>The console's device node: xv6's init opens "console", major CONSOLE = 1.</summary>
    public const string ConsoleName = "console";
    public const short ConsoleMajor = 1;

    public static Command Create()
    {
        var size = new Option<int>("--size")
        {
            Description = "Blocks (of 1024 bytes) in the image; without it, 2000 or as many more as the files need",
        };
        var inodes = new Option<int>("--inodes")
        {
            Description = "Inodes in the image (numbers 1..N-1); without it, 200 or as many as needed",
        };
        var image = new Argument<string>("image") { Description = "The image file to write (replaced if it exists)" };
        var files = new Argument<string[]>("files")
        {
            Description = "Files to put in the root directory, each under its base name (at most 14 bytes)",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("mkfs", "Make a disk image in xv6's file-system format holding the given files and a console device");
        command.Options.Add(size);
        command.Options.Add(inodes);
        command.Arguments.Add(image);
        command.Arguments.Add(files);
        command.SetAction(parse => Run(
            parse.GetValue(image)!,
            parse.GetValue(files) ?? [],
            Given(parse, size),
            Given(parse, inodes),
            Console.Error));
        return command;
    }

    /// <summary>Builds and writes the image; 0 on success, or one line on <paramref name="error"/> and status 2.</summary>
    public static int Run(string imagePath, IReadOnlyList<string> files, int? size, int? inodes, TextWriter error)
    {
        if (size is < 1)
            return Fail(error, "--size must be a positive number of blocks");
        if (inodes is < 2)
            return Fail(error, "--inodes must be at least 2 (inode 1 is the root directory)");
        try
        {
            var builder = new ImageBuilder { Size = size, Inodes = inodes };
            foreach (string file in files)
            {
                string name = Path.GetFileName(file);
                if (name == ConsoleName)
                    return Fail(error, $"{file}: the name '{ConsoleName}' is kept for the console device");
                builder.AddFile(name, ReadInput(file));
            }
            builder.AddDevice(ConsoleName, ConsoleMajor, 0);
            byte[] bytes = builder.Build();
            File.WriteAllBytes(imagePath, bytes);
            return 0;
        }
        catch (ImageBuildException e)
        {
            return Fail(error, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, $"cannot write {imagePath}: {e.Message}");
        }
    }

    /// <summary>An option's value if it was on the command line, else null (the builder then picks and grows).</summary>
    private static int? Given(ParseResult parse, Option<int> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    private static byte[] ReadInput(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageBuildException($"cannot read {file}: {e.Message}");
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"osprey: mkfs: {message}");
        return CommandLine.UsageError;
    }
}
