using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Osprey.Terminal;

/// <summary>
/// Standard input's terminal in raw mode for as long as this object lives, put back exactly as
/// it was on every way out: <see cref="Dispose"/> (a halt, or an exception unwinding through a
/// using), process exit, an unhandled exception on any thread, and SIGTERM, SIGHUP, SIGINT or
/// SIGQUIT sent to osprey (each restores, then lets the signal end the process as it would
/// have). After SIGCONT raw mode is set again, because whoever stopped osprey will have put
/// its own settings on the terminal.
///
/// Why tcgetattr/tcsetattr and not <c>stty -g</c> / <c>stty raw -echo</c>: the restore has to
/// work from a signal handler, from ProcessExit and after a crash, where starting a child
/// process is slow and can itself fail; a saved termios comes back with one system call, and it
/// comes back byte for byte, whatever it held. Raw mode is cfmakeraw's (no echo, no line
/// editing, no signals from ^C, ^Z or ^\, CR not turned into NL) with output processing left
/// on, so the guest's "\n" still starts a line at column 0.
/// </summary>
public sealed class RawTerminal : IDisposable
{
    private readonly byte[] _saved;
    private readonly byte[] _raw;
    // Serialises tcsetattr between the booting thread and signal handlers, and guards _restored,
    // so that once restored the terminal is never set raw again.
    private readonly Lock _lock = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private bool _restored;

    private RawTerminal(byte[] saved, byte[] raw)
    {
        _saved = saved;
        _raw = raw;
    }

    /// <summary>
    /// Whether this host can do raw mode: the output fix-up needs Linux's termios layout.
    /// Elsewhere boot uses the terminal as it finds it (<see cref="ConsoleSetup.Cooked"/>).
    /// </summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Puts standard input's terminal in raw mode; null, and why, when that cannot be done.</summary>
    public static RawTerminal? TryEnter(out string? error)
    {
        try
        {
            byte[]? saved = Termios.Get(Termios.StandardInput, out int errno);
            if (saved == null)
            {
                error = $"standard input is not a terminal (errno {errno})";
                return null;
            }
            byte[] raw = Termios.MakeRaw(saved);
            Termios.SetOutputNewlines(raw);
            var terminal = new RawTerminal(saved, raw);
            // Watch first: a signal that arrives just after the switch must find a restorer.
            terminal.Watch();
            if (!terminal.SetRaw())
            {
                terminal.Dispose();
                error = "the terminal refused raw mode";
                return null;
            }
            error = null;
            return terminal;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"no terminal control on this host ({e.Message})";
            return null;
        }
    }

    /// <summary>
    /// Standard input, read as the bytes come. Not <see cref="Console.OpenStandardInput()"/>:
    /// on a terminal that stream does its own echo and line editing, which raw mode is for
    /// leaving to the kernel.
    /// </summary>
    public static Stream OpenInput() =>
        new FileStream(new SafeFileHandle(Termios.StandardInput, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    /// <summary>Puts the terminal back as it was. Safe to call more than once and from any thread.</summary>
    public void Restore()
    {
        lock (_lock)
        {
            if (_restored)
                return;
            _restored = true;
            Termios.Set(Termios.StandardInput, _saved);
        }
    }

    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        foreach (PosixSignalRegistration r in _signals)
            r.Dispose();
        _signals.Clear();
    }

    private void Watch()
    {
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        // Not cancelled: once the terminal is back, the signal ends osprey as it would have.
        foreach (PosixSignal s in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGINT, PosixSignal.SIGQUIT])
            _signals.Add(PosixSignalRegistration.Create(s, _ => Restore()));
        if (!OperatingSystem.IsWindows())
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGCONT, OnContinue));
    }

    private bool SetRaw()
    {
        lock (_lock)
            return !_restored && Termios.Set(Termios.StandardInput, _raw);
    }

    /// <summary>
    /// Continued after a stop: raw mode again. Cancelled, because .NET's own handling of SIGCONT
    /// would put back the settings it saw when its console started, which may be the cooked ones.
    /// </summary>
    private void OnContinue(PosixSignalContext context)
    {
        context.Cancel = true;
        SetRaw();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => Restore();
}
