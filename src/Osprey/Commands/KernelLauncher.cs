using Osprey.Kernel;
using Osprey.Terminal;

namespace Osprey.Commands;

/// <summary>
/// What boot and run share: pick the disk (the given image, or a private copy of the default
/// one), build a kernel with the console on this terminal, and hand it to the command.
/// Problems with the user's input (no image, not an xv6 file system) get one line and exit 2.
///
/// An interactive launch (boot) on a terminal puts the terminal in raw mode for the whole
/// boot, the kernel echoing and editing lines, and keeps Ctrl-A x to power off; with input
/// from a file or a pipe it passes the input through untouched and tells the guest no person
/// is typing (isatty(0) is 0), so that its init halts when the input ends.
/// </summary>
public static class KernelLauncher
{
    public static int Launch(string? disk, KernelOptions options, Func<OspreyKernel, int> body, bool interactive = false)
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

        if (options.ReplayInput is { } replay)
        {
            // The input is the recording's, not this terminal's; echo as the recorded session did.
            var replayed = replay.Terminal ? ConsoleSetup.Raw with { RawMode = false } : ConsoleSetup.Piped;
            return Launch(image, options, replayed, Stream.Null, body);
        }
        ConsoleSetup setup = ConsoleSetup.For(interactive, stdinIsTerminal: !Console.IsInputRedirected, RawTerminal.Supported);
        return setup.RawMode
            ? LaunchRaw(image, options, body)
            : Launch(image, options, setup, Console.OpenStandardInput(), body);
    }

    /// <summary>Builds the kernel on <paramref name="image"/> with the console as <paramref name="setup"/> says, and runs <paramref name="body"/>.</summary>
    internal static int Launch(string image, KernelOptions options, ConsoleSetup setup, Stream input, Func<OspreyKernel, int> body)
    {
        using Stream stdout = Console.OpenStandardOutput();
        OspreyKernel kernel;
        try
        {
            kernel = new OspreyKernel(options with
            {
                DiskImage = image,
                ConsoleOutput = stdout,
                ConsoleInput = input,
                ConsoleEcho = setup.Echo,
                ConsoleIsTerminal = setup.IsTerminal,
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

    /// <summary>
    /// The terminal in raw mode around the whole boot, entered once the kernel is built (so a bad
    /// image is reported on the terminal as it was); the using puts it back however the boot
    /// ends, and RawTerminal also covers signals and crashes. If raw mode cannot be had, the
    /// boot goes on with the terminal as it is: cooked, so the kernel must not echo as well.
    /// </summary>
    private static int LaunchRaw(string image, KernelOptions options, Func<OspreyKernel, int> body)
    {
        OspreyKernel? booted = null;
        var escape = new ConsoleEscape(
            powerOff: () => booted?.PowerOff(),
            help: () => Console.Error.Write(ConsoleEscape.HelpText));
        var input = new EscapeFilterStream(RawTerminal.OpenInput(), escape);
        int status = Launch(image, options, ConsoleSetup.Raw, input, kernel =>
        {
            using RawTerminal? raw = RawTerminal.TryEnter(out string? error);
            if (raw == null)
            {
                Console.Error.WriteLine($"osprey: {error}; the terminal stays as it is");
                kernel.Console.Echo = ConsoleSetup.Cooked.Echo;
            }
            else
            {
                Console.Error.WriteLine(ConsoleEscape.Hint);
            }
            booted = kernel;
            return body(kernel);
        });
        if (escape.PoweredOff)
            Console.Error.WriteLine("\nosprey: powered off");
        return status;
    }
}
