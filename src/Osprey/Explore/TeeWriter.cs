using System.Text;

namespace Osprey.Explore;

/// <summary>Text goes to both writers (a replay's diagnostics: kept for the verdict and shown).</summary>
public sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
{
    public override Encoding Encoding => second.Encoding;

    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Flush() => second.Flush();
}
