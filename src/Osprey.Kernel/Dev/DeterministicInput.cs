using System.Collections.Concurrent;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Dev;

/// <summary>
/// Console input for a deterministic run: bytes reach the UART only at virtual instants (turns
/// of the <see cref="Sched.Interleaver"/>), never when the host happens to read them.
///
/// - Piped input (a file, a script): one line at a time, each time the machine is quiescent
///   (every CPU idle), as if a fast typist waited for the machine to settle before each line.
///   The host read blocks there, so the same input gives the same run however slowly it comes.
/// - A person at a terminal: what has been typed is given at the start of the next turn, and a
///   quiescent machine waits up to <see cref="IdleWait"/> for a key before letting a tick of
///   time pass. Not repeatable by itself; <c>--record</c> keeps it so that it is.
/// - A replay: the recorded bytes at the recorded turns, and the recorded power-off.
///
/// A recording is written as input is given, each event flushed, so an interrupted session
/// still leaves its file. Called only by the token holder, apart from the pump thread, which
/// only fills <see cref="_chunks"/>.
/// </summary>
public sealed class DeterministicInput
{
    public static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(10);

    private readonly Uart _uart;
    private readonly Stream? _live;
    private readonly bool _terminal;
    private readonly InputRecording? _replay;
    private readonly TextWriter? _record;
    private readonly BlockingCollection<byte[]> _chunks = new();
    private readonly List<byte> _pending = new();
    private volatile bool _liveEnded;
    private int _next;
    private bool _closed;

    private DeterministicInput(Uart uart, Stream? live, bool terminal, InputRecording? replay, TextWriter? record)
    {
        _uart = uart;
        _live = live;
        _terminal = terminal;
        _replay = replay;
        _record = record;
    }

    /// <summary>Input from the host (<paramref name="input"/> null: none), recorded to <paramref name="record"/> if given.</summary>
    public static DeterministicInput Live(Uart uart, Stream? input, bool terminal, TextWriter? record) => new(uart, input, terminal, null, record);

    public static DeterministicInput Replay(Uart uart, InputRecording recording) => new(uart, null, recording.Terminal, recording, null);

    /// <summary>Whether idle time passes while nobody types (a terminal session, live or replayed).</summary>
    public bool Interactive => _terminal;

    /// <summary>Starts reading the host's input (before the first turn).</summary>
    public void Start()
    {
        if (_replay != null)
        {
            if (NextReplayed(0) is { Kind: InputEventKind.EndOfInput })
            {
                _next++;
                _uart.CloseInput();
            }
            return;
        }
        if (_live == null)
        {
            Close(0);
            return;
        }
        new Thread(Pump) { IsBackground = true, Name = "osprey-console-input" }.Start();
    }

    /// <summary>The start of turn <paramref name="turn"/>. Returns true if the machine is to be powered off now (a replayed power-off).</summary>
    public bool AtTurn(long turn)
    {
        if (_replay != null)
        {
            // A live terminal's input can end at the start of a turn too (Ctrl-A x ends it and
            // powers off in the same turn), not only at a quiescent moment.
            while (NextReplayed(turn) is { Kind: InputEventKind.AtTurn or InputEventKind.Halt or InputEventKind.EndAtTurn } e)
            {
                _next++;
                if (e.Kind == InputEventKind.Halt)
                    return true;
                if (e.Kind == InputEventKind.EndAtTurn)
                    _uart.CloseInput();
                else
                    _uart.Deliver(e.Bytes);
            }
            return false;
        }
        if (_terminal && !_closed)
        {
            while (_chunks.TryTake(out byte[]? chunk))
                Give(InputEventKind.AtTurn, turn, chunk);
            if (_liveEnded && _chunks.Count == 0)
                Close(turn, InputEventKind.EndAtTurn);
        }
        return false;
    }

    /// <summary>The machine is quiescent in turn <paramref name="turn"/>: returns true if input arrived or ended.</summary>
    public bool AtQuiescence(long turn)
    {
        if (_replay != null)
        {
            if (NextReplayed(turn) is not { Kind: InputEventKind.WhenIdle or InputEventKind.EndOfInput } e)
                return false;
            _next++;
            if (e.Kind == InputEventKind.EndOfInput)
                _uart.CloseInput();
            else
                _uart.Deliver(e.Bytes);
            return true;
        }
        if (_closed)
            return false;
        if (_terminal)
        {
            if (_chunks.TryTake(out byte[]? typed, IdleWait))
            {
                Give(InputEventKind.WhenIdle, turn, typed);
                return true;
            }
            if (_liveEnded && _chunks.Count == 0)
            {
                Close(turn);
                return true;
            }
            return false;
        }
        byte[]? line = NextLine();
        if (line == null)
            Close(turn);
        else
            Give(InputEventKind.WhenIdle, turn, line);
        return true;
    }

    /// <summary>The machine halted at <paramref name="turn"/> (kept in a recording, so a replay powers off there too).</summary>
    public void Halted(long turn)
    {
        if (_record != null)
            InputRecording.Write(_record, new InputEvent(InputEventKind.Halt, turn, []));
    }

    /// <summary>Whether a replayed event's turn went by without the machine being where the recording was (another program, seed or build).</summary>
    public bool Diverged { get; private set; }

    private InputEvent? NextReplayed(long turn)
    {
        if (_next >= _replay!.Events.Count)
            return null;
        InputEvent e = _replay.Events[_next];
        Diverged |= e.Turn < turn;
        return e.Turn == turn ? e : null;
    }

    /// <summary>The next line of piped input (blocking for the host), its last line even without a newline; null at its end.</summary>
    private byte[]? NextLine()
    {
        while (true)
        {
            int newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                byte[] line = _pending.GetRange(0, newline + 1).ToArray();
                _pending.RemoveRange(0, newline + 1);
                return line;
            }
            if (!_chunks.TryTake(out byte[]? chunk, Timeout.Infinite))
                break; // the pump has finished: the input has ended
            _pending.AddRange(chunk);
        }
        if (_pending.Count == 0)
            return null;
        byte[] rest = _pending.ToArray();
        _pending.Clear();
        return rest;
    }

    private void Give(InputEventKind kind, long turn, byte[] bytes)
    {
        if (_record != null)
            InputRecording.Write(_record, new InputEvent(kind, turn, bytes));
        _uart.Deliver(bytes);
    }

    private void Close(long turn, InputEventKind kind = InputEventKind.EndOfInput)
    {
        _closed = true;
        if (_record != null)
            InputRecording.Write(_record, new InputEvent(kind, turn, []));
        _uart.CloseInput();
    }

    private void Pump()
    {
        var buffer = new byte[256];
        try
        {
            int n;
            while ((n = _live!.Read(buffer, 0, buffer.Length)) > 0)
                _chunks.Add(buffer.AsSpan(0, n).ToArray());
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _liveEnded = true;
        _chunks.CompleteAdding();
    }
}
