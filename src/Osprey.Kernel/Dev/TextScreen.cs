using System.Text;
using Osprey.Machine.Devices;
using static Osprey.Kernel.Syscalls.AbiConstants;

namespace Osprey.Kernel.Dev;

/// <summary>
/// The text console's screen: Pebbles' 80×25 cells of a character and a color each, a cursor
/// and the color new characters get, rendered to the host terminal with ANSI escapes. Every
/// byte the console prints goes through here (xv6 writes, Pebbles print, echo, kernel
/// messages), so the model always knows what is on screen and where the cursor is, whoever
/// wrote it.
///
/// Rendering has two modes. Until a program first moves the cursor, the screen streams: bytes
/// go to the terminal as they are (plus an SGR escape when the color changes), and the host
/// terminal scrolls on its own; output that uses no Pebbles feature is byte for byte what was
/// written. The first set_cursor_pos switches to drawing: the terminal is cleared and the 25
/// rows drawn from the model, cursor moves become CUP escapes, and a scroll at the bottom row
/// redraws the screen, so the picture is right on any terminal of at least 25 rows.
///
/// Colors are 15-410's: a foreground 0x0–0xF and a background 0x00–0x70 or'ed together; SGR
/// maps the VGA order (blue, green, cyan, red, ...) to ANSI's (red, green, yellow, blue, ...).
/// A byte sequence an xv6 program writes itself starting with ESC passes through untouched
/// and takes no cells. <see cref="_lock"/> protects everything here. It is a host lock, not a
/// kernel spinlock, like the UART's own: kernel messages (a panic, a fault report) print from
/// any thread, CPU or not; it is a leaf, taken inside the console's locks, holding no other.
/// </summary>
public sealed class TextScreen
{
    public const int Width = CONSOLE_WIDTH, Height = CONSOLE_HEIGHT;
    public const byte DefaultColor = FGND_LGRAY | BGND_BLACK;

    private readonly Uart _uart;
    private readonly Lock _lock = new();
    private readonly char[] _chars = new char[Width * Height];
    private readonly byte[] _colors = new byte[Width * Height];
    private readonly StringBuilder _out = new();
    private int _row, _col;
    private byte _color = DefaultColor;
    private byte _terminalColor = DefaultColor; // what the host terminal draws with now
    private bool _drawing;
    private bool _inEscape;

    public TextScreen(Uart uart)
    {
        _uart = uart;
        Array.Fill(_chars, ' ');
        Array.Fill(_colors, DefaultColor);
    }

    /// <summary>The cursor: row 0..24, column 0..79.</summary>
    public (int Row, int Col) Cursor
    {
        get
        {
            _lock.Enter();
            var at = (_row, _col);
            _lock.Exit();
            return at;
        }
    }

    /// <summary>The color new characters get.</summary>
    public byte Color
    {
        get
        {
            _lock.Enter();
            byte c = _color;
            _lock.Exit();
            return c;
        }
    }

    /// <summary>Whether the screen has switched to drawing (a program moved the cursor).</summary>
    public bool Drawing => _drawing;

    /// <summary>The character in a cell (tests, and a redraw).</summary>
    public char CharAt(int row, int col)
    {
        _lock.Enter();
        char c = _chars[row * Width + col];
        _lock.Exit();
        return c;
    }

    /// <summary>The color of a cell.</summary>
    public byte ColorAt(int row, int col)
    {
        _lock.Enter();
        byte c = _colors[row * Width + col];
        _lock.Exit();
        return c;
    }

    /// <summary>Prints bytes at the cursor: what the console writes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        _lock.Enter();
        foreach (byte b in bytes)
            Put(b);
        Flush();
        _lock.Exit();
    }

    /// <summary>set_term_color: false for a color outside the palette (nothing changes).</summary>
    public bool SetColor(int color)
    {
        if (color < 0 || color > 0x7F)
            return false;
        _lock.Enter();
        _color = (byte)color;
        _lock.Exit();
        return true;
    }

    /// <summary>set_cursor_pos: false for a cell off the screen (nothing changes).</summary>
    public bool SetCursor(int row, int col)
    {
        if (row < 0 || row >= Height || col < 0 || col >= Width)
            return false;
        _lock.Enter();
        if (!_drawing)
        {
            _drawing = true;
            Redraw();
        }
        _row = row;
        _col = col;
        MoveTerminalCursor();
        Flush();
        _lock.Exit();
        return true;
    }

    private void Put(byte b)
    {
        if (_inEscape)
        {
            // A CSI sequence ends with a byte in 0x40..0x7E after its parameters; pass it all on.
            _out.Append((char)b);
            if (b >= 0x40 && b <= 0x7E && b != '[')
                _inEscape = false;
            return;
        }
        switch (b)
        {
            case 0x1B:
                _inEscape = true;
                _out.Append((char)b);
                return;
            case (byte)'\n':
                _col = 0;
                NewLine();
                if (_drawing)
                    MoveTerminalCursor();
                else
                    _out.Append('\n');
                return;
            case (byte)'\r':
                _col = 0;
                _out.Append('\r');
                return;
            case (byte)'\b':
                if (_col > 0)
                {
                    _col--;
                    _out.Append('\b');
                }
                return;
            case (byte)'\t':
                // To the next multiple of 8, over the cells as a terminal's tab moves (no erasing).
                _col = Math.Min((_col / 8 + 1) * 8, Width - 1);
                if (_drawing)
                    MoveTerminalCursor();
                else
                    _out.Append('\t');
                return;
        }
        if (b < 0x20 || b == 0x7F)
        {
            _out.Append((char)b); // other controls (a bell): the terminal's business, no cell
            return;
        }
        if (_color != _terminalColor)
        {
            _out.Append(Sgr(_color));
            _terminalColor = _color;
        }
        int at = _row * Width + _col;
        _chars[at] = (char)b;
        _colors[at] = _color;
        _out.Append((char)b);
        if (++_col == Width)
        {
            // The model wraps; a streaming terminal wraps long lines by itself (and output
            // stays byte for byte what was written), a drawn one is told where the cursor is.
            _col = 0;
            NewLine();
            if (_drawing)
                MoveTerminalCursor();
        }
    }

    /// <summary>The cursor moves down a row; at the bottom, the screen scrolls up one.</summary>
    private void NewLine()
    {
        if (_row < Height - 1)
        {
            _row++;
            return;
        }
        Array.Copy(_chars, Width, _chars, 0, Width * (Height - 1));
        Array.Copy(_colors, Width, _colors, 0, Width * (Height - 1));
        Array.Fill(_chars, ' ', Width * (Height - 1), Width);
        Array.Fill(_colors, _color, Width * (Height - 1), Width);
        if (_drawing)
        {
            // Whatever the terminal's size, redraw: its own scrolling might not match ours.
            _out.Append('\r');
            Redraw();
        }
    }

    /// <summary>Clears the terminal and draws every cell, then puts the cursor where the model has it.</summary>
    private void Redraw()
    {
        _out.Append("\x1b[H\x1b[2J");
        for (int r = 0; r < Height; r++)
        {
            _out.Append($"\x1b[{r + 1};1H");
            for (int c = 0; c < Width; c++)
            {
                int at = r * Width + c;
                if (_colors[at] != _terminalColor)
                {
                    _out.Append(Sgr(_colors[at]));
                    _terminalColor = _colors[at];
                }
                _out.Append(_chars[at]);
            }
        }
        MoveTerminalCursor();
    }

    private void MoveTerminalCursor() => _out.Append($"\x1b[{_row + 1};{_col + 1}H");

    private void Flush()
    {
        if (_out.Length == 0)
            return;
        byte[] bytes = new byte[_out.Length];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)_out[i];
        _out.Clear();
        _uart.Transmit(bytes);
    }

    // VGA color order (blue=1, green=2, cyan=3, red=4, magenta=5, brown=6) to ANSI's
    // (red=1, green=2, yellow=3, blue=4, magenta=5, cyan=6).
    private static readonly int[] AnsiOrder = [0, 4, 2, 6, 1, 5, 3, 7];

    /// <summary>The SGR escape for a 15-410 color: 30–37 or 90–97 foreground, 40–47 background.</summary>
    public static string Sgr(byte color)
    {
        int fg = color & 0x0F, bg = (color >> 4) & 0x07;
        int fgCode = (fg >= 8 ? 90 : 30) + AnsiOrder[fg & 7];
        return $"\x1b[0;{fgCode};{40 + AnsiOrder[bg]}m";
    }
}
