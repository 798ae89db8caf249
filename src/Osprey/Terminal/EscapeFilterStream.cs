namespace Osprey.Terminal;

/// <summary>
/// The terminal's input as the console sees it: the bytes read from <paramref name="inner"/>
/// with the escapes of <paramref name="escape"/> taken out. A read returns 0 (end of input)
/// only when the terminal has ended or the machine was powered off, never merely because a
/// read held nothing but an escape, since the console's reader takes 0 as end of input.
/// Read by one thread (the console's input pump).
/// </summary>
public sealed class EscapeFilterStream(Stream inner, ConsoleEscape escape) : Stream
{
    private readonly byte[] _raw = new byte[256];
    private readonly List<byte> _ready = [];
    private int _readyStart;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (_readyStart == _ready.Count)
        {
            if (escape.PoweredOff)
                return 0;
            _ready.Clear();
            _readyStart = 0;
            int n = inner.Read(_raw, 0, _raw.Length);
            if (n == 0)
            {
                escape.End(_ready);
                if (_ready.Count == 0)
                    return 0;
                break;
            }
            escape.Feed(_raw.AsSpan(0, n), _ready);
        }
        int take = Math.Min(buffer.Length, _ready.Count - _readyStart);
        for (int i = 0; i < take; i++)
            buffer[i] = _ready[_readyStart + i];
        _readyStart += take;
        return take;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
