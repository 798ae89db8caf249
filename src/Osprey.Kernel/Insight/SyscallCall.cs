using System.Text;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Syscalls;

namespace Osprey.Kernel.Insight;

/// <summary>
/// One system call being watched, from its entry to its return, and how strace shows it:
/// <c>open("README", O_RDONLY) = 3</c>. What the call reads (strings, argv, write's bytes) is
/// read at entry, before the call can change it (exec replaces the memory it came from);
/// what it fills (read's bytes, pipe's descriptors, wait's status) is read at return.
/// Strings and buffers show at most <see cref="MaxShown"/> bytes, as strace's default -s 32.
/// </summary>
public sealed class SyscallCall
{
    /// <summary>The most bytes of a string or buffer shown; more is marked with "...".</summary>
    public const int MaxShown = 32;

    /// <summary>The most argv entries shown.</summary>
    public const int MaxArgv = 32;

    private static readonly Dictionary<long, SyscallSignature> ByNumber = SyscallSignatures.All.ToDictionary(s => s.Number);

    private readonly string?[] _shown;

    private SyscallCall(long number, SyscallSignature? signature, ulong[] args, string?[] shown)
    {
        Number = number;
        Signature = signature;
        Args = args;
        _shown = shown;
    }

    public long Number { get; }

    /// <summary>The call's line of the ABI table; null for a number not in it.</summary>
    public SyscallSignature? Signature { get; }

    public string Name => Signature?.Name ?? $"syscall_{Number}";

    /// <summary>a0..a5 at entry.</summary>
    public ulong[] Args { get; }

    /// <summary>The signature of call <paramref name="number"/>, or null.</summary>
    public static SyscallSignature? Find(long number) => ByNumber.GetValueOrDefault(number);

    /// <summary>The call a thread is making now: its number and arguments from its trap frame, and what it reads.</summary>
    public static SyscallCall Enter(TrapFrame frame, UserPeek peek)
    {
        long number = (long)frame[TrapFrame.A7];
        SyscallSignature? signature = Find(number);
        var args = new ulong[6];
        for (int i = 0; i < args.Length; i++)
            args[i] = frame.Argument(i);
        int count = signature?.Arguments.Length ?? args.Length;
        var shown = new string?[count];
        for (int i = 0; i < count; i++)
            shown[i] = signature == null ? Hex(args[i]) : AtEntry(signature.Arguments[i], args, i, peek);
        return new SyscallCall(number, signature, args, shown);
    }

    /// <summary>The arguments as strace shows them, once the call returned <paramref name="result"/>.</summary>
    public string Arguments(long result, UserPeek peek)
    {
        var text = new StringBuilder();
        for (int i = 0; i < _shown.Length; i++)
        {
            if (i > 0)
                text.Append(", ");
            text.Append(_shown[i] ?? AtReturn(Signature!.Arguments[i], Args[i], result, peek));
        }
        return text.ToString();
    }

    /// <summary>The result as strace shows it: a number, an address, "?" for a call that does not return, or an error with its name.</summary>
    public string Result(long result)
    {
        if (Signature == null)
            return result.ToString();
        switch (Signature.Result)
        {
            case ResultKind.None:
                return "?";
            case ResultKind.Unsigned:
                return ((uint)result).ToString();
            case ResultKind.Pointer when result != -1:
                return Hex((ulong)result);
        }
        return Signature.Family switch
        {
            "pebbles" when result < 0 => $"{result} {PebblesError(result)}",
            "linux" when result is < 0 and >= -4095 => $"-1 {LinuxErrno.Describe((int)-result)}",
            _ => result.ToString(),
        };
    }

    /// <summary>The whole line without the pid: <c>name(args) = result</c>.</summary>
    public string Line(long result, UserPeek peek) => $"{Name}({Arguments(result, peek)}) = {Result(result)}";

    private static string? AtEntry(ArgKind kind, ulong[] args, int i, UserPeek peek)
    {
        ulong a = args[i];
        switch (kind)
        {
            case ArgKind.Int:
                return ((int)a).ToString();
            case ArgKind.Unsigned:
                return ((uint)a).ToString();
            case ArgKind.Pointer:
                return Hex(a);
            case ArgKind.OpenFlags:
                return OpenFlags((int)a);
            case ArgKind.String:
                return StringAt(a, peek);
            case ArgKind.Argv:
                return ArgvAt(a, peek);
            case ArgKind.InBuffer:
                return BufferAt(a, i + 1 < args.Length ? (int)args[i + 1] : 0, peek);
            default:
                return null; // shown at return
        }
    }

    private static string AtReturn(ArgKind kind, ulong a, long result, UserPeek peek)
    {
        switch (kind)
        {
            case ArgKind.OutBuffer when result >= 0:
                return BufferAt(a, (int)Math.Min(result, int.MaxValue), peek);
            case ArgKind.IntOut when a != 0 && result >= 0:
                Span<byte> one = stackalloc byte[4];
                return peek.TryRead(a, one) ? $"[{BitConverter.ToInt32(one)}]" : Hex(a);
            case ArgKind.IntPairOut when result == 0:
                Span<byte> two = stackalloc byte[8];
                return peek.TryRead(a, two) ? $"[{BitConverter.ToInt32(two)}, {BitConverter.ToInt32(two[4..])}]" : Hex(a);
            default:
                return Hex(a);
        }
    }

    /// <summary>NULL for 0, else 0x and hex digits.</summary>
    public static string Hex(ulong a) => a == 0 ? "NULL" : $"0x{a:x}";

    private static string StringAt(ulong va, UserPeek peek)
    {
        if (va == 0)
            return "NULL";
        byte[]? bytes = peek.ReadString(va, MaxShown, out bool truncated);
        return bytes == null ? Hex(va) : Quote(bytes, truncated);
    }

    private static string ArgvAt(ulong va, UserPeek peek)
    {
        if (va == 0)
            return "NULL";
        var text = new StringBuilder("[");
        for (int i = 0; ; i++)
        {
            if (!peek.TryReadUInt64(va + (ulong)i * 8, out ulong p))
                return i == 0 ? Hex(va) : text.Append(i > 0 ? ", " : "").Append(Hex(va + (ulong)i * 8)).Append(']').ToString();
            if (p == 0)
                break;
            if (i == MaxArgv)
            {
                text.Append(", ...");
                break;
            }
            text.Append(i > 0 ? ", " : "").Append(StringAt(p, peek));
        }
        return text.Append(']').ToString();
    }

    private static string BufferAt(ulong va, int length, UserPeek peek)
    {
        if (length <= 0)
            return length == 0 ? "\"\"" : Hex(va);
        int n = Math.Min(length, MaxShown);
        var bytes = new byte[n];
        return peek.TryRead(va, bytes) ? Quote(bytes, length > n) : Hex(va);
    }

    /// <summary>A C string literal as strace writes one: escapes for quotes, backslashes and control characters, octal for other bytes.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, bool truncated)
    {
        var text = new StringBuilder("\"");
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            switch (b)
            {
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\v': text.Append("\\v"); break;
                case (byte)'\f': text.Append("\\f"); break;
                case >= 0x20 and < 0x7f: text.Append((char)b); break;
                default:
                    // Octal, padded to three digits only where a digit follows (it would join in).
                    bool digitNext = i + 1 < bytes.Length && bytes[i + 1] is >= (byte)'0' and <= (byte)'7';
                    text.Append('\\').Append(digitNext ? Convert.ToString(b, 8).PadLeft(3, '0') : Convert.ToString(b, 8));
                    break;
            }
        }
        text.Append('"');
        if (truncated)
            text.Append("...");
        return text.ToString();
    }

    /// <summary>open's flags: the access mode's name, then each other O_ flag set, joined by |; bits no name covers in hex.</summary>
    public static string OpenFlags(int flags)
    {
        var names = new List<string>();
        int rest = flags;
        const int accessMask = 3;
        foreach ((string name, int value, _) in SyscallSignatures.Constants)
        {
            if (!name.StartsWith("O_", StringComparison.Ordinal))
                continue;
            if (value <= accessMask ? (flags & accessMask) == value : (flags & value) == value)
            {
                names.Add(name);
                rest &= ~value;
            }
        }
        rest &= ~accessMask;
        if ((flags & accessMask) == accessMask)
            names.Add("0x3");
        if (rest != 0)
            names.Add($"0x{rest:x}");
        return string.Join('|', names);
    }

    private static string PebblesError(long code)
    {
        foreach ((string name, int value, string meaning) in SyscallSignatures.Constants)
        {
            if (value == code && name.StartsWith("PEBBLES_E", StringComparison.Ordinal))
                return $"{name} ({meaning})";
        }
        return "(error)";
    }
}
