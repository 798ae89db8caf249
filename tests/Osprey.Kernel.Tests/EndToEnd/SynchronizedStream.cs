using System.Text;

namespace Osprey.Kernel.Tests.EndToEnd;

/// <summary>A write-only memory stream that several host threads may write to, for capturing the console.</summary>
public sealed class SynchronizedStream : Stream
{
    private readonly MemoryStream _bytes = new();

    public string Text
    {
        get
        {
            lock (_bytes)
                return Encoding.UTF8.GetString(_bytes.ToArray());
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_bytes)
            _bytes.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_bytes)
            _bytes.Write(buffer);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
