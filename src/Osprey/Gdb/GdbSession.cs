using System.Globalization;
using System.Text;
using Osprey.Kernel;
using Osprey.Kernel.Insight;
using Osprey.Kernel.Proc;

namespace Osprey.Gdb;

/// <summary>
/// One gdb connected to the stub: the packets it sends and the answers, over the kernel's
/// <see cref="Debugger"/>. Every user thread is a gdb thread (its tid); Hg picks the thread
/// whose registers (g/G, p/P) and memory (m/M, through its task's page table) gdb sees and in
/// whose task Z0 puts breakpoints. Resuming (c, s, vCont) waits for the next stop, for Ctrl-C,
/// or for the machine to halt (reported as the program's exit, W).
/// </summary>
public sealed class GdbSession(OspreyKernel kernel, Debugger debugger, RemoteSerialConnection gdb)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private UserThread? _general;   // Hg: registers, memory, breakpoints
    private UserThread? _continue;  // Hc: what s and c name
    private StopEvent? _lastStop;

    /// <summary>Whether the machine halted under this session (gdb was told it exited).</summary>
    public bool Exited { get; private set; }

    /// <summary>Serves gdb until it detaches, kills, disconnects or the machine halts.</summary>
    public void Serve()
    {
        // gdb expects a stopped target when it connects.
        debugger.Interrupt(StopEvent.SigTrap);
        TakeStop(debugger.WaitForStop(TimeSpan.FromSeconds(30)));
        while (!Exited)
        {
            string? packet = gdb.Read();
            if (packet == null)
                break;
            if (packet == RemoteSerialConnection.InterruptRequest)
                continue; // already stopped
            string? reply = Handle(packet, out bool end);
            if (reply != null)
                gdb.Send(reply);
            if (end)
                break;
        }
    }

    private string? Handle(string packet, out bool end)
    {
        end = false;
        switch (packet[0])
        {
            case '?':
                return StopReply();
            case 'g':
                return Selected() is { } t ? ReadRegisters(t) : "E01";
            case 'G':
                return Selected() is { } tg ? WriteRegisters(tg, packet[1..]) : "E01";
            case 'p':
                return Selected() is { } tp && ParseHex(packet[1..], out ulong n) ? ReadRegister(tp, (int)n) : "E01";
            case 'P':
                return Selected() is { } tP ? WriteRegister(tP, packet[1..]) : "E01";
            case 'm':
                return ReadMemory(packet[1..]);
            case 'M':
                return WriteMemory(packet[1..]);
            case 'Z' or 'z':
                return Breakpoint(packet);
            case 'H':
                return SelectThread(packet);
            case 'T':
                return ParseThread(packet[1..], out UserThread? alive) && alive != null ? "OK" : "E01";
            case 'c':
                return Resume(null, othersRun: true, null, out end);
            case 's':
                return Resume(_continue ?? Selected(), othersRun: false, null, out end);
            case 'D':
                debugger.Detach();
                end = true;
                return "OK";
            case 'k':
                kernel.Halt();
                end = true;
                return null;
            case 'v':
                return VerbPacket(packet, out end);
            case 'q':
                return Query(packet);
            default:
                return "";
        }
    }

    private string? VerbPacket(string packet, out bool end)
    {
        end = false;
        if (packet == "vCont?")
            return "vCont;c;C;s;S";
        if (packet.StartsWith("vCont;", StringComparison.Ordinal))
            return VCont(packet["vCont;".Length..], out end);
        if (packet.StartsWith("vKill", StringComparison.Ordinal))
        {
            kernel.Halt();
            end = true;
            return "OK";
        }
        return "";
    }

    /// <summary>
    /// vCont: actions separated by ';', each c, Csig, s or Ssig, optionally :tid. The first
    /// step names the thread that steps; an action with no tid applies to every other thread
    /// (so <c>s:5;c</c> steps 5 while the rest run, and <c>s:5</c> alone steps 5 only).
    /// </summary>
    private string? VCont(string actions, out bool end)
    {
        UserThread? step = null, only = null;
        bool othersRun = false;
        foreach (string action in actions.Split(';'))
        {
            string[] parts = action.Split(':');
            char verb = parts[0].Length > 0 ? parts[0][0] : ' ';
            UserThread? named = null;
            if (parts.Length > 1 && (!ParseThread(parts[1], out named) || named == null))
                continue; // a thread that is gone
            switch (verb)
            {
                case 's' or 'S':
                    step ??= named ?? _continue ?? Selected();
                    break;
                case 'c' or 'C' when named == null:
                    othersRun = true;
                    break;
                case 'c' or 'C':
                    only ??= named;
                    break;
            }
        }
        if (step == null && only == null)
            othersRun = true;
        return Resume(step, othersRun, step == null ? only : null, out end);
    }

    /// <summary>Resumes and waits for the next stop (answered T05), a Ctrl-C, or the end of the machine (W).</summary>
    private string? Resume(UserThread? step, bool othersRun, UserThread? only, out bool end)
    {
        end = false;
        debugger.Resume(step, othersRun, only);
        while (true)
        {
            if (kernel.WaitForHalt(TimeSpan.Zero))
            {
                Exited = true;
                end = true;
                return $"W{(kernel.ProgramStatus ?? 0) & 0xFF:x2}";
            }
            if (debugger.WaitForStop(Poll) is { } stop)
            {
                TakeStop(stop);
                return StopReply();
            }
            if (gdb.DataAvailable)
            {
                string? packet = gdb.Read();
                if (packet == null)
                {
                    end = true;
                    return null;
                }
                if (packet == RemoteSerialConnection.InterruptRequest)
                    debugger.Interrupt(StopEvent.SigInt);
            }
        }
    }

    private void TakeStop(StopEvent? stop)
    {
        if (stop == null)
            return;
        _lastStop = stop;
        _general = _continue = stop.Thread;
    }

    private string StopReply() =>
        _lastStop is { } stop && debugger.Find(stop.Thread.Tid) != null
            ? $"T{stop.Signal:x2}thread:{stop.Thread.Tid:x};"
            : "S05";

    private UserThread? Selected()
    {
        if (_general != null && debugger.Find(_general.Tid) != null)
            return _general;
        return _general = debugger.Threads().FirstOrDefault();
    }

    private string SelectThread(string packet)
    {
        if (packet.Length < 2)
            return "E01";
        string id = packet[2..];
        UserThread? t = null;
        if (id is not ("0" or "-1") && (!ParseThread(id, out t) || t == null))
            return "E01";
        if (packet[1] == 'g')
            _general = t ?? Selected();
        else
            _continue = t;
        return "OK";
    }

    private bool ParseThread(string id, out UserThread? thread)
    {
        thread = null;
        if (!int.TryParse(id, NumberStyles.HexNumber, null, out int tid))
            return false;
        thread = debugger.Find(tid);
        return true;
    }

    private string Query(string packet)
    {
        if (packet.StartsWith("qSupported", StringComparison.Ordinal))
            return "PacketSize=4000;qXfer:features:read+;vContSupported+";
        if (packet.StartsWith("qXfer:features:read:target.xml:", StringComparison.Ordinal))
            return Transfer(TargetDescription.Xml, packet["qXfer:features:read:target.xml:".Length..]);
        if (packet.StartsWith("qXfer:", StringComparison.Ordinal))
            return "E00";
        if (packet == "qfThreadInfo")
        {
            IReadOnlyList<UserThread> threads = debugger.Threads();
            return threads.Count == 0 ? "l" : "m" + string.Join(',', threads.Select(t => t.Tid.ToString("x")));
        }
        if (packet == "qsThreadInfo")
            return "l";
        if (packet == "qC")
            return Selected() is { } t ? $"QC{t.Tid:x}" : "";
        if (packet.StartsWith("qThreadExtraInfo,", StringComparison.Ordinal))
        {
            return ParseThread(packet["qThreadExtraInfo,".Length..], out UserThread? t) && t != null
                ? Convert.ToHexString(Encoding.ASCII.GetBytes(Debugger.Describe(t))).ToLowerInvariant()
                : "E01";
        }
        if (packet == "qAttached")
            return "1";
        if (packet.StartsWith("qSymbol", StringComparison.Ordinal))
            return "OK";
        return "";
    }

    /// <summary>A qXfer read of <paramref name="document"/>: "offset,length" in hex; m for more, l for the last piece.</summary>
    private static string Transfer(string document, string range)
    {
        string[] parts = range.Split(',');
        if (parts.Length != 2 || !ParseHex(parts[0], out ulong offset) || !ParseHex(parts[1], out ulong length))
            return "E00";
        if (offset >= (ulong)document.Length)
            return "l";
        int take = (int)Math.Min(length, (ulong)document.Length - offset);
        return (offset + (ulong)take >= (ulong)document.Length ? "l" : "m") + document.Substring((int)offset, take);
    }

    private static string ReadRegisters(UserThread t)
    {
        var text = new StringBuilder();
        for (int n = 0; n < TargetDescription.Count; n++)
            text.Append(LittleEndianHex(RegisterValue(t.TrapFrame, n), TargetDescription.SizeOf(n)));
        return text.ToString();
    }

    private static string WriteRegisters(UserThread t, string hex)
    {
        int at = 0;
        for (int n = 0; n < TargetDescription.Count && at < hex.Length; n++)
        {
            int size = TargetDescription.SizeOf(n) * 2;
            if (at + size > hex.Length || !ParseLittleEndian(hex.Substring(at, size), out ulong value))
                return "E01";
            SetRegister(t.TrapFrame, n, value);
            at += size;
        }
        return "OK";
    }

    private static string ReadRegister(UserThread t, int n) =>
        n is >= 0 and < TargetDescription.Count ? LittleEndianHex(RegisterValue(t.TrapFrame, n), TargetDescription.SizeOf(n)) : "E45";

    private static string WriteRegister(UserThread t, string assignment)
    {
        string[] parts = assignment.Split('=');
        if (parts.Length != 2 || !ParseHex(parts[0], out ulong n) || n >= TargetDescription.Count || !ParseLittleEndian(parts[1], out ulong value))
            return "E01";
        SetRegister(t.TrapFrame, (int)n, value);
        return "OK";
    }

    private static ulong RegisterValue(TrapFrame f, int n) => n switch
    {
        < 32 => f[n],
        TargetDescription.Pc => f.Pc,
        < TargetDescription.Fflags => f.FloatRegister(n - TargetDescription.FirstFloat),
        TargetDescription.Fflags => f.Fcsr & 0x1F,
        TargetDescription.Frm => (f.Fcsr >> 5) & 0x7,
        _ => f.Fcsr & 0xFF,
    };

    private static void SetRegister(TrapFrame f, int n, ulong value)
    {
        switch (n)
        {
            case < 32:
                f[n] = value;
                break;
            case TargetDescription.Pc:
                f.Pc = value;
                break;
            case < TargetDescription.Fflags:
                f.SetFloatRegister(n - TargetDescription.FirstFloat, value);
                break;
            case TargetDescription.Fflags:
                f.Fcsr = (f.Fcsr & ~0x1Fu) | (uint)(value & 0x1F);
                break;
            case TargetDescription.Frm:
                f.Fcsr = (f.Fcsr & ~0xE0u) | (uint)((value & 0x7) << 5);
                break;
            default:
                f.Fcsr = (uint)(value & 0xFF);
                break;
        }
    }

    private string ReadMemory(string range)
    {
        if (Selected() is not { } t || !ParseRange(range, out ulong address, out ulong length) || length > 0x10000)
            return "E01";
        UserPeek peek = debugger.MemoryOf(t);
        var text = new StringBuilder();
        Span<byte> one = stackalloc byte[1];
        // Byte by byte where a page ends, so a read running off the mapped memory returns what it could.
        for (ulong i = 0; i < length; i++)
        {
            if (!peek.TryRead(address + i, one))
                break;
            text.Append(one[0].ToString("x2"));
        }
        return text.Length == 0 && length > 0 ? "E14" : text.ToString();
    }

    private string WriteMemory(string packet)
    {
        int colon = packet.IndexOf(':');
        if (Selected() is not { } t || colon < 0 || !ParseRange(packet[..colon], out ulong address, out ulong length))
            return "E01";
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(packet[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return "E01";
        }
        if ((ulong)bytes.Length != length)
            return "E01";
        return debugger.MemoryOf(t).TryWrite(address, bytes) ? "OK" : "E14";
    }

    /// <summary>Z0/z0 addr,kind: a software breakpoint in the selected thread's task; other kinds are not supported (empty reply).</summary>
    private string Breakpoint(string packet)
    {
        string[] parts = packet[1..].Split(',');
        if (parts.Length < 2 || parts[0] != "0")
            return "";
        if (Selected() is not { } t || !ParseHex(parts[1], out ulong address))
            return "E01";
        if (packet[0] == 'Z')
            debugger.InsertBreakpoint(t.Task, address);
        else
            debugger.RemoveBreakpoint(t.Task, address);
        return "OK";
    }

    private static bool ParseRange(string range, out ulong address, out ulong length)
    {
        string[] parts = range.Split(',');
        length = 0;
        return ParseHex(parts[0], out address) && parts.Length == 2 && ParseHex(parts[1], out length);
    }

    private static bool ParseHex(string text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.HexNumber, null, out value);

    private static string LittleEndianHex(ulong value, int bytes)
    {
        var text = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++)
            text.Append(((byte)(value >> (8 * i))).ToString("x2"));
        return text.ToString();
    }

    private static bool ParseLittleEndian(string hex, out ulong value)
    {
        value = 0;
        if (hex.Length % 2 != 0 || hex.Length > 16)
            return false;
        for (int i = 0; i < hex.Length / 2; i++)
        {
            if (!byte.TryParse(hex.AsSpan(i * 2, 2), NumberStyles.HexNumber, null, out byte b))
                return false;
            value |= (ulong)b << (8 * i);
        }
        return true;
    }
}
