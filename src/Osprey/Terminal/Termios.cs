using System.Runtime.InteropServices;

namespace Osprey.Terminal;

/// <summary>
/// The C library's terminal calls. A termios is handled as an opaque block of bytes, larger
/// than any C library's struct, so that saving and restoring needs no knowledge of its layout;
/// only <see cref="SetOutputNewlines"/> knows one field, and only on Linux.
/// </summary>
internal static class Termios
{
    /// <summary>Room for a struct termios: 60 bytes in glibc and musl, 72 on macOS.</summary>
    public const int Size = 256;

    public const int StandardInput = 0;
    private const int TcsaNow = 0;

    // Linux (glibc and musl, every architecture): c_iflag then c_oflag, 32 bits each.
    private const int LinuxOflagOffset = 4;
    private const uint Opost = 0x1, Onlcr = 0x4;

    /// <summary>The settings of terminal <paramref name="fd"/>, or null with errno when it is not one.</summary>
    public static byte[]? Get(int fd, out int errno)
    {
        var t = new byte[Size];
        int rc = TcGetAttr(fd, t);
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        return rc == 0 ? t : null;
    }

    /// <summary>Applies <paramref name="termios"/> at once (typed-ahead input is kept, not flushed).</summary>
    public static bool Set(int fd, byte[] termios) => TcSetAttr(fd, TcsaNow, termios) == 0;

    /// <summary>A copy of <paramref name="termios"/> in raw mode, as cfmakeraw defines it.</summary>
    public static byte[] MakeRaw(byte[] termios)
    {
        var raw = (byte[])termios.Clone();
        CfMakeRaw(raw);
        return raw;
    }

    /// <summary>
    /// Turns output processing back on with newline translation, so that the guest's "\n"
    /// starts a new line at column 0 as it does on a cooked terminal. Linux layout only.
    /// </summary>
    public static void SetOutputNewlines(byte[] termios)
    {
        Span<byte> oflag = termios.AsSpan(LinuxOflagOffset, sizeof(uint));
        MemoryMarshal.Write(oflag, MemoryMarshal.Read<uint>(oflag) | Opost | Onlcr);
    }

    // "libc" is resolved by the runtime to the platform's C library (libc.so.6 on glibc).
    [DllImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static extern int TcGetAttr(int fd, [In, Out] byte[] termios);

    [DllImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static extern int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [DllImport("libc", EntryPoint = "cfmakeraw")]
    private static extern void CfMakeRaw([In, Out] byte[] termios);
}
