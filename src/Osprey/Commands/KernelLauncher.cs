using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// What boot and run share: pick the disk (the given image, or a private copy of the default
/// one), build a kernel with the console on this terminal, and hand it to the command.
/// Problems with the user's input (no image, not an xv6 file system) get one line and exit 2.
/// </summary>
public static class KernelLauncher
{
    public static int Launch(string? disk, KernelOptions options, Func<OspreyKernel, int> body)
    {
        using TemporaryFile? copy = disk == null ? DefaultImage.Copy() : null;
        string? image = disk ?? copy?.Path;
        if (image == null || !File.Exists(image))
        {
            Console.Error.WriteLine(image == null
                ? $"osprey: no disk image: {DefaultImage.Path} has not been built (run ./osprey, or give --disk)"
                : $"osprey: {image}: no such disk image");
            return CommandLine.UsageError;
        }

        using Stream stdout = Console.OpenStandardOutput();
        OspreyKernel kernel;
        try
        {
            kernel = new OspreyKernel(options with
            {
                DiskImage = image,
                ConsoleOutput = stdout,
                ConsoleInput = Console.OpenStandardInput(),
                Diagnostics = Console.Error,
            });
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"osprey: {image}: {e.Message}");
            return CommandLine.UsageError;
        }
        using (kernel)
            return body(kernel);
    }
}
