using System.Text;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>
/// A terminal as small as the tests need, to see what a person would see: it plays a stream of
/// terminal output (printable bytes, CR, LF, BS, and the CSI escapes the console uses: CUP
/// "ESC[r;cH", ED "ESC[2J", SGR "ESC[...m") onto a grid of cells, each with the SGR parameters
/// in force when it was written. Other escapes are skipped; a terminal of 25 rows scrolls at
/// the bottom on a line feed, as the pseudo-terminal's would.
/// </summary>
public sealed class AnsiScreen
{
    public const int Rows = 25, Columns = 80;

    private readonly char[,] _chars = new char[Rows, Columns];
    private readonly string[,] _styles = new string[Rows, Columns];
    private int _row, _col;
    private string _style = "0";

    public AnsiScreen() => Clear();

    /// <summary>Plays <paramref name="output"/> (Latin-1 text, a char per byte) from where the screen is.</summary>
    public void Play(string output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            if (c == '\x1b' && i + 1 < output.Length && output[i + 1] == '[')
            {
                int end = i + 2;
                while (end < output.Length && !(output[end] >= '@' && output[end] <= '~'))
                    end++;
                if (end == output.Length)
                    return;
                Escape(output[(i + 2)..end], output[end]);
                i = end;
                continue;
            }
            switch (c)
            {
                case '\r': _col = 0; break;
                case '\n': LineFeed(); break;
                case '\b': _col = Math.Max(0, _col - 1); break;
                default:
                    if (c < ' ' || c == '\x7f')
                        break;
                    if (_col == Columns)
                    {
                        _col = 0;
                        LineFeed();
                    }
                    _chars[_row, _col] = c;
                    _styles[_row, _col] = _style;
                    _col++;
                    break;
            }
        }
    }

    /// <summary>Row <paramref name="row"/> as text, trailing blanks kept.</summary>
    public string Line(int row)
    {
        var b = new StringBuilder(Columns);
        for (int c = 0; c < Columns; c++)
            b.Append(_chars[row, c]);
        return b.ToString();
    }

    /// <summary>The SGR parameters a cell was written with ("0;93;44").</summary>
    public string Style(int row, int col) => _styles[row, col];

    public (int Row, int Col) Cursor => (_row, Math.Min(_col, Columns - 1));

    /// <summary>The first row whose text contains <paramref name="text"/>, or -1.</summary>
    public int Find(string text)
    {
        for (int r = 0; r < Rows; r++)
            if (Line(r).Contains(text, StringComparison.Ordinal))
                return r;
        return -1;
    }

    public override string ToString() =>
        string.Join("\n", Enumerable.Range(0, Rows).Select(r => $"{r,2}|{Line(r).TrimEnd()}"));

    private void Escape(string parameters, char final)
    {
        switch (final)
        {
            case 'H':
                string[] at = parameters.Split(';');
                _row = Math.Clamp(Number(at, 0) - 1, 0, Rows - 1);
                _col = Math.Clamp(Number(at, 1) - 1, 0, Columns - 1);
                break;
            case 'J' when parameters == "2":
                Clear();
                break;
            case 'm':
                _style = parameters.Length == 0 ? "0" : parameters;
                break;
        }
    }

    private static int Number(string[] parts, int i) =>
        i < parts.Length && int.TryParse(parts[i], out int n) && n > 0 ? n : 1;

    private void LineFeed()
    {
        if (_row < Rows - 1)
        {
            _row++;
            return;
        }
        for (int r = 1; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
            {
                _chars[r - 1, c] = _chars[r, c];
                _styles[r - 1, c] = _styles[r, c];
            }
        for (int c = 0; c < Columns; c++)
        {
            _chars[Rows - 1, c] = ' ';
            _styles[Rows - 1, c] = _style;
        }
    }

    private void Clear()
    {
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
            {
                _chars[r, c] = ' ';
                _styles[r, c] = _style;
            }
    }
}
