namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// One operation of the crashwork program, as it is passed on its command line ("append c/a
/// 3000 1"). Each is a single transaction on the disk; see user/crashwork.c.
/// </summary>
internal sealed record CrashOp(string Text)
{
    private string[] Words => Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public string Kind => Words[0];

    public string Path => Words[1];

    /// <summary>link's new name.</summary>
    public string Target => Words[2];

    /// <summary>append's and orphan's byte count and pattern seed.</summary>
    public int Count => int.Parse(Words[2]);
    public int Seed => int.Parse(Words[3]);

    /// <summary>What crashwork appends: byte i is (seed*31 + i*7 + i/512) mod 256.</summary>
    public static byte[] Pattern(int count, int seed)
    {
        var bytes = new byte[count];
        for (int i = 0; i < count; i++)
            bytes[i] = (byte)(seed * 31 + i * 7 + (i >> 9));
        return bytes;
    }

    public override string ToString() => Text;
}
