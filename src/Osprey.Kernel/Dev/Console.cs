using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;
using Osprey.Machine.Cpu;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Dev;

/// <summary>
/// The console: output to the UART, input from it through a line discipline like xv6's.
/// Input is gathered into lines with backspace (^H or DEL) erasing a character, ^U the line,
/// and ^D ending input (a read then returns what the line holds, or 0 for end of file);
/// ^P lists processes and ^L the locks' figures (the KU Leuven fork's [perf] lines). Readers sleep until a whole line (or ^D, or a full buffer) is in.
///
/// <see cref="_lock"/> protects the input buffer and its three indices: reads happen at
/// <see cref="_readIndex"/>, committed input ends at <see cref="_writeIndex"/>, and the line
/// being edited ends at <see cref="_editIndex"/> (r &lt;= w &lt;= e, all counting up forever).
/// </summary>
public sealed class Console : ICharacterDevice
{
    public const int BufferSize = 128;
    private const byte CtrlD = 0x04, CtrlH = 0x08, CtrlL = 0x0C, CtrlP = 0x10, CtrlU = 0x15, Delete = 0x7F;

    private readonly Uart _uart;
    private readonly Scheduler _scheduler;
    private readonly Spinlock _lock = new("cons");
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _readIndex, _writeIndex, _editIndex;
    private bool _endOfInput;
    private bool _heldBack; // the last interrupt left bytes in the UART for want of room

    public Console(Uart uart, Scheduler scheduler)
    {
        _uart = uart;
        _scheduler = scheduler;
    }

    /// <summary>Echo typed characters back (a terminal in raw mode); off when input is a pipe or a cooked terminal that echoes itself.</summary>
    public bool Echo { get; set; }

    /// <summary>
    /// Whether a person types the input (osprey boot on a terminal), as opposed to a script piped
    /// in. init asks (isatty) to decide whether end of input means "restart the shell" or "halt".
    /// </summary>
    public bool IsTerminal { get; set; }

    /// <summary>Called for ^P, to print the process list.</summary>
    public Action? ProcessDump { get; set; }

    /// <summary>Called for ^L, to print every lock's acquisitions and contention.</summary>
    public Action? LockDump { get; set; }

    /// <summary>Tells whether the reading thread's process was killed, so a blocked read can give up.</summary>
    public Func<bool>? ReaderKilled { get; set; }

    public int Write(UserBuffer source, int count)
    {
        Span<byte> chunk = stackalloc byte[256];
        int done = 0;
        while (done < count)
        {
            int n = Math.Min(chunk.Length, count - done);
            if (!source.CopyIn((ulong)done, chunk[..n]))
                return done > 0 ? done : -1;
            _uart.Transmit(chunk[..n]);
            done += n;
        }
        return done;
    }

    /// <summary>Kernel output (panics, fault messages, ^P listings).</summary>
    public void Print(string text) => _uart.Transmit(System.Text.Encoding.UTF8.GetBytes(text));

    public int Read(UserBuffer destination, int count)
    {
        int done = 0;
        _lock.Acquire();
        while (done < count)
        {
            while (_readIndex == _writeIndex)
            {
                if (_endOfInput || (ReaderKilled?.Invoke() ?? false))
                {
                    _lock.Release();
                    return ReaderKilled?.Invoke() == true && done == 0 ? -1 : done;
                }
                _scheduler.Sleep(this, _lock);
            }
            byte c = _buffer[_readIndex++ % BufferSize];
            if (c == CtrlD)
            {
                // End of file: return what we have. If we have something, leave the ^D for
                // the next read, so that it returns 0.
                if (done > 0)
                    _readIndex--;
                break;
            }
            if (!destination.CopyOut((ulong)done, [c]))
            {
                _lock.Release();
                return -1;
            }
            done++;
            if (c == (byte)'\n')
                break;
        }
        bool resume = _heldBack && done > 0;
        if (resume)
            _heldBack = false;
        _lock.Release();
        if (resume)
            _uart.InterruptTarget?.RaiseInterrupt(InterruptLine.External); // room again: take the rest
        return done;
    }

    /// <summary>
    /// Input interrupt: moves received bytes from the UART through the line discipline while
    /// the buffer has room. What does not fit stays in the UART, as hardware flow control would
    /// hold it back, and a read that makes room raises the interrupt again: piped input is
    /// never dropped. Only the UART's interrupt hart drains it, so bytes keep their order.
    /// </summary>
    public void Interrupt()
    {
        while (HasRoom())
        {
            // Read before the receive: closed and then found empty means all of it arrived.
            bool closed = _uart.InputClosed;
            if (!_uart.TryReceive(out byte c))
            {
                if (closed)
                    EndInput();
                return;
            }
            Input(c);
        }
    }

    /// <summary>Whether one more byte fits; if not, notes that the UART holds some back.</summary>
    private bool HasRoom()
    {
        _lock.Acquire();
        bool room = _editIndex - _readIndex < BufferSize;
        _heldBack |= !room;
        _lock.Release();
        return room;
    }

    private void EndInput()
    {
        _lock.Acquire();
        _endOfInput = true;
        _writeIndex = _editIndex;
        _lock.Release();
        _scheduler.Wakeup(this);
    }

    private void Input(byte c)
    {
        if (c == CtrlP)
        {
            ProcessDump?.Invoke();
            return;
        }
        if (c == CtrlL)
        {
            LockDump?.Invoke();
            return;
        }
        _lock.Acquire();
        bool wake = false;
        switch (c)
        {
            case CtrlU:
                while (_editIndex != _writeIndex && _buffer[(_editIndex - 1) % BufferSize] != (byte)'\n')
                {
                    _editIndex--;
                    EchoErase();
                }
                break;
            case CtrlH:
            case Delete:
                if (_editIndex != _writeIndex)
                {
                    _editIndex--;
                    EchoErase();
                }
                break;
            default:
                if (c != 0 && _editIndex - _readIndex < BufferSize)
                {
                    if (c == (byte)'\r')
                        c = (byte)'\n';
                    if (Echo && c != CtrlD)
                        _uart.Transmit([c]);
                    _buffer[_editIndex++ % BufferSize] = c;
                    if (c == (byte)'\n' || c == CtrlD || _editIndex - _readIndex == BufferSize)
                    {
                        _writeIndex = _editIndex;
                        wake = true;
                    }
                }
                break;
        }
        _lock.Release();
        if (wake)
            _scheduler.Wakeup(this);
    }

    private void EchoErase()
    {
        if (Echo)
            _uart.Transmit("\b \b"u8);
    }
}
