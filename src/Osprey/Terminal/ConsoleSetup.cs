namespace Osprey.Terminal;

/// <summary>
/// How the guest's console meets the host's standard input for one boot.
/// </summary>
/// <param name="RawMode">Put the host terminal in raw mode (no host echo or line editing, keys
/// arrive one by one) and watch for the Ctrl-A escapes.</param>
/// <param name="Echo">The kernel's console echoes what is typed (it must, once the host does not).</param>
/// <param name="IsTerminal">A person types the input: isatty(0) is 1 in the guest, and its init
/// restarts the shell at end of input instead of halting.</param>
public sealed record ConsoleSetup(bool RawMode, bool Echo, bool IsTerminal)
{
    /// <summary>Input is a file or a pipe (or the command is not interactive): passed through as it comes.</summary>
    public static readonly ConsoleSetup Piped = new(RawMode: false, Echo: false, IsTerminal: false);

    /// <summary>A terminal in raw mode, the kernel doing the echo and line editing.</summary>
    public static readonly ConsoleSetup Raw = new(RawMode: true, Echo: true, IsTerminal: true);

    /// <summary>
    /// A terminal left as it was (cooked): the host echoes and edits lines itself, so the kernel
    /// must not echo again. Used where raw mode cannot be had.
    /// </summary>
    public static readonly ConsoleSetup Cooked = new(RawMode: false, Echo: false, IsTerminal: true);

    /// <param name="interactive">The command boots to a console for a person (boot), rather than running one program (run).</param>
    /// <param name="stdinIsTerminal">Standard input is a terminal, not a file or a pipe.</param>
    /// <param name="rawModeSupported">This host can put a terminal in raw mode (<see cref="RawTerminal.Supported"/>).</param>
    public static ConsoleSetup For(bool interactive, bool stdinIsTerminal, bool rawModeSupported) =>
        !interactive || !stdinIsTerminal ? Piped
        : rawModeSupported ? Raw
        : Cooked;
}
