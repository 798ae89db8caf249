using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;
using Osprey.Machine.Cpu;
using Osprey.Machine.Devices;
using Mutex = Osprey.Kernel.Sync.Mutex;

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
    // Whole writes and prints take turns: one call's bytes are never interleaved with another's.
    private readonly Mutex _output;
    // Pebbles' readers (readline, getchar) in arrival order, under _lock: the first reads, the
    // others sleep on the queue itself until they are first (seed kernel 003's reader queue).
    private readonly List<object> _readers = [];
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _readIndex, _writeIndex, _editIndex;
    private bool _endOfInput;
    private bool _heldBack; // the last interrupt left bytes in the UART for want of room

    public Console(Uart uart, Scheduler scheduler)
    {
        _uart = uart;
        _scheduler = scheduler;
        Screen = new TextScreen(uart);
        _output = new Mutex(scheduler, "console output");
    }

    /// <summary>The 80×25 screen every byte of output goes through.</summary>
    public TextScreen Screen { get; }

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

    /// <summary>
    /// A write (xv6) or print (Pebbles): the bytes at the cursor, atomically with respect to
    /// other writes and prints. Returns the bytes written: fewer than asked (or -1 if none)
    /// when the buffer stops being readable part way.
    /// </summary>
    public int Write(UserBuffer source, int count)
    {
        Span<byte> chunk = stackalloc byte[256];
        int done = 0;
        _output.Lock();
        while (done < count)
        {
            int n = Math.Min(chunk.Length, count - done);
            if (!source.CopyIn((ulong)done, chunk[..n]))
                break;
            Screen.Write(chunk[..n]);
            done += n;
        }
        _output.Unlock();
        return done > 0 || count == 0 ? done : -1;
    }

    /// <summary>Kernel output (panics, fault messages, ^P listings): not held up by a program's long print.</summary>
    public void Print(string text) => Screen.Write(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Pebbles' readline: one line (or the first <paramref name="count"/> bytes of it; the rest
    /// stays for the next reader) once it is complete, as edited with backspace. Readers queue
    /// in arrival order (each asleep, so a yield to it is refused) and the first gets the first
    /// line. -1 if the buffer is bad or the reader is killed while it waits.
    /// </summary>
    public int ReadLine(UserBuffer destination, int count)
    {
        object? turn = WaitForTurn();
        if (turn == null)
            return -1;
        int n = Read(destination, count);
        EndTurn(turn);
        return n;
    }

    /// <summary>Joins the queue of readers and sleeps until first in it; null if the reader must end first (it has left the queue).</summary>
    private object? WaitForTurn()
    {
        var turn = new object();
        _lock.Acquire();
        _readers.Add(turn);
        while (_readers[0] != turn)
        {
            if (ReaderKilled?.Invoke() ?? false)
            {
                _readers.Remove(turn);
                _lock.Release();
                _scheduler.Wakeup(_readers); // the next in line may be first now
                return null;
            }
            _scheduler.Sleep(_readers, _lock);
        }
        _lock.Release();
        return turn;
    }

    /// <summary>Leaves the front of the queue and wakes the readers behind.</summary>
    private void EndTurn(object turn)
    {
        _lock.Acquire();
        _readers.Remove(turn);
        _lock.Release();
        _scheduler.Wakeup(_readers);
    }

    /// <summary>
    /// Pebbles' getchar: the next byte typed, blocking until there is one, without waiting for
    /// the end of its line (a byte still being edited is taken, and can no longer be erased).
    /// -1 at end of input or if the caller is killed. Takes its turn with readline's readers.
    /// </summary>
    public int GetChar()
    {
        object? turn = WaitForTurn();
        if (turn == null)
            return -1;
        _lock.Acquire();
        int c;
        while (true)
        {
            if (_readIndex != _editIndex)
            {
                c = _buffer[_readIndex++ % BufferSize];
                if (_writeIndex < _readIndex)
                    _writeIndex = _readIndex;
                break;
            }
            if (_endOfInput || (ReaderKilled?.Invoke() ?? false))
            {
                c = -1;
                break;
            }
            _scheduler.Sleep(this, _lock);
        }
        bool resume = _heldBack;
        _heldBack = false;
        _lock.Release();
        EndTurn(turn);
        if (resume)
            _uart.InterruptTarget?.RaiseInterrupt(InterruptLine.External);
        return c == CtrlD ? -1 : c;
    }

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
                        Screen.Write([c]);
                    _buffer[_editIndex++ % BufferSize] = c;
                    // getchar takes bytes still being edited; readers of lines wait for the end.
                    wake = true;
                    if (c == (byte)'\n' || c == CtrlD || _editIndex - _readIndex == BufferSize)
                        _writeIndex = _editIndex;
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
            Screen.Write("\b \b"u8);
    }
}
