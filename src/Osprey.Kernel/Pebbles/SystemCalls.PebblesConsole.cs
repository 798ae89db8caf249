using Osprey.Kernel.Proc;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Syscalls;

// The Pebbles console calls: print, getchar, readline, set_term_color, set_cursor_pos,
// get_cursor_pos, on the console's 80×25 text screen (Dev/TextScreen.cs).
public sealed partial class SystemCalls
{
    /// <summary>The longest print or readline: a print is atomic, so other printers wait behind it.</summary>
    private const int MaxConsoleTransfer = 1 << 20;

    /// <summary>print(size, buf): size bytes at the cursor, never interleaved with another print or write.</summary>
    private long Print()
    {
        int size = ArgInt(0);
        if (size < 0 || size > MaxConsoleTransfer)
            return AbiConstants.PEBBLES_EINVAL;
        ulong address = ArgAddress(1);
        PageTable table = Me.PageTable!;
        if (!table.Accessible(address, (ulong)size, write: false))
            return AbiConstants.PEBBLES_EFAULT;
        int n = kernel.Console.Write(new UserBuffer(table, kernel.Memory, address), size);
        return n == size ? 0 : AbiConstants.PEBBLES_EFAULT;
    }

    /// <summary>
    /// getchar(): the next character typed, blocking; negative at end of input, or EINTR when
    /// a signal the caller takes (or its end) comes first: the signal is then delivered as the
    /// call returns, and the key is left for the next reader.
    /// </summary>
    private long Getchar()
    {
        int c = kernel.Console.GetChar();
        return c >= 0 ? c : AbiConstants.PEBBLES_EINTR;
    }

    /// <summary>
    /// readline(size, buf): one line, or its first size bytes; the bytes copied. A signal the
    /// caller takes (or its end) while it waits for its turn or its line makes it give up with
    /// EINTR, as an xv6 console read does: nothing is consumed, the line being typed stays in
    /// the console (still editable) for the next reader, and the handler runs as the call returns.
    /// </summary>
    private long Readline()
    {
        int size = ArgInt(0);
        if (size < 0 || size > MaxConsoleTransfer)
            return AbiConstants.PEBBLES_EINVAL;
        ulong address = ArgAddress(1);
        PageTable table = Me.PageTable!;
        if (!table.Accessible(address, (ulong)size, write: true))
            return AbiConstants.PEBBLES_EFAULT;
        if (size == 0)
            return 0;
        int n = kernel.Console.ReadLine(new UserBuffer(table, kernel.Memory, address), size);
        return n >= 0 ? n : UserThread.CurrentInterrupted ? AbiConstants.PEBBLES_EINTR : AbiConstants.PEBBLES_EFAULT;
    }

    private long SetTermColor() => kernel.Console.Screen.SetColor(ArgInt(0)) ? 0 : AbiConstants.PEBBLES_EINVAL;

    private long SetCursorPos() => kernel.Console.Screen.SetCursor(ArgInt(0), ArgInt(1)) ? 0 : AbiConstants.PEBBLES_EINVAL;

    /// <summary>get_cursor_pos(&amp;row, &amp;col): both written, or neither (EFAULT) if either pointer is bad.</summary>
    private long GetCursorPos()
    {
        ulong rowAddress = ArgAddress(0), colAddress = ArgAddress(1);
        PageTable table = Me.PageTable!;
        if (!table.Accessible(rowAddress, sizeof(int), write: true) || !table.Accessible(colAddress, sizeof(int), write: true))
            return AbiConstants.PEBBLES_EFAULT;
        (int row, int col) = kernel.Console.Screen.Cursor;
        bool ok = table.CopyOut(kernel.Memory, rowAddress, BitConverter.GetBytes(row))
            && table.CopyOut(kernel.Memory, colAddress, BitConverter.GetBytes(col));
        return ok ? 0 : AbiConstants.PEBBLES_EFAULT;
    }
}
