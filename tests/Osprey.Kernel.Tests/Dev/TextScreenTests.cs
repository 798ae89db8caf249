using System.Text;
using Osprey.Kernel.Dev;
using Osprey.Machine.Devices;

namespace Osprey.Kernel.Tests.Dev;

/// <summary>
/// The console's 80×25 screen model on its own, over a UART writing to memory: what the model
/// holds (cells, colors, the cursor), and what it sends the terminal (the bytes as written
/// while streaming, SGR for colors, CUP and redraws once a program moves the cursor).
/// </summary>
public class TextScreenTests
{
    private readonly MemoryStream _terminal = new();
    private readonly TextScreen _screen;

    public TextScreenTests() => _screen = new TextScreen(new Uart(_terminal));

    private string Sent => Encoding.Latin1.GetString(_terminal.ToArray());

    private void Write(string s) => _screen.Write(Encoding.Latin1.GetBytes(s));

    [Fact]
    public void PlainOutputStreamsByteForByteAndTheModelFollows()
    {
        string text = "hello\nworld " + new string('x', 90) + "\r\tend";
        Write(text);
        Assert.Equal(text, Sent); // no escape, no added newline at the wrap
        Assert.Equal('h', _screen.CharAt(0, 0));
        Assert.Equal('w', _screen.CharAt(1, 0));
        Assert.Equal('x', _screen.CharAt(2, 0)); // the 91st character of row 1 wrapped
        Assert.Equal((2, 11), _screen.Cursor);  // "\r" to column 0, a tab to 8, "end"
        Assert.Equal('e', _screen.CharAt(2, 8));
    }

    [Fact]
    public void ColorsBecomeSgrAndStayInTheCells()
    {
        Assert.True(_screen.SetColor(0x0E | 0x10)); // FGND_YLLW | BGND_BLUE
        Write("Y");
        Assert.True(_screen.SetColor(0x07));
        Write("n");
        Assert.Equal("\x1b[0;93;44mY\x1b[0;37;40mn", Sent);
        Assert.Equal(0x1E, _screen.ColorAt(0, 0));
        Assert.Equal(0x07, _screen.ColorAt(0, 1));
        Assert.False(_screen.SetColor(0x80));
        Assert.False(_screen.SetColor(-1));
        Assert.Equal(0x07, _screen.Color);
    }

    [Fact]
    public void TheFirstCursorMoveDrawsTheScreenAndLaterMovesAreCup()
    {
        Write("top line");
        Assert.True(_screen.SetCursor(10, 20));
        string drawn = Sent;
        Assert.Contains("\x1b[H\x1b[2J", drawn);
        Assert.Contains("\x1b[1;1Htop line", drawn);
        Assert.EndsWith("\x1b[11;21H", drawn);
        Write("X");
        Assert.Equal('X', _screen.CharAt(10, 20));
        Assert.Equal((10, 21), _screen.Cursor);
        Assert.True(_screen.SetCursor(3, 4));
        Assert.EndsWith("\x1b[4;5H", Sent);
        Assert.True(_screen.Drawing);
    }

    [Theory]
    [InlineData(25, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, 80)]
    [InlineData(0, -1)]
    public void OffScreenPositionsAreRefusedAndChangeNothing(int row, int col)
    {
        Write("ab");
        Assert.False(_screen.SetCursor(row, col));
        Assert.Equal((0, 2), _screen.Cursor);
        Assert.False(_screen.Drawing);
        Assert.Equal("ab", Sent);
    }

    [Fact]
    public void WritingPastTheBottomScrollsTheModelAndRedraws()
    {
        Assert.True(_screen.SetCursor(0, 0));
        Write("first row\n");
        Assert.True(_screen.SetCursor(24, 75));
        long before = _terminal.Length;
        Write("0123456789");
        Assert.Equal((24, 5), _screen.Cursor);
        Assert.Equal('0', _screen.CharAt(23, 75)); // the row moved up with the scroll
        Assert.Equal('5', _screen.CharAt(24, 0));
        Assert.NotEqual('f', _screen.CharAt(0, 0)); // "first row" scrolled off the top
        string after = Sent[(int)before..];
        Assert.Contains("\x1b[H\x1b[2J", after); // redrawn, whatever the terminal's own scrolling
        Assert.EndsWith("56789", after);
    }

    [Fact]
    public void BackspaceMovesLeftButNotPastTheEdge()
    {
        Write("\bab\b");
        Assert.Equal((0, 1), _screen.Cursor);
        Assert.Equal("ab\b", Sent);
    }

    [Fact]
    public void AnEscapeSequenceAProgramWritesPassesThroughAndTakesNoCells()
    {
        Write("a\x1b[31mb");
        Assert.Equal("a\x1b[31mb", Sent);
        Assert.Equal('b', _screen.CharAt(0, 1));
        Assert.Equal((0, 2), _screen.Cursor);
    }
}
