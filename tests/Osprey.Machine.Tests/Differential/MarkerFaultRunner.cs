namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// A deliberately broken "emulator" for testing the bisection: it runs programs correctly
/// (through <paramref name="inner"/>) except that in any program whose code contains
/// <paramref name="marker"/> it corrupts register <paramref name="register"/> in the stream's dump,
/// as a machine with a bug in that one instruction would.
/// </summary>
internal sealed class MarkerFaultRunner(IGuestRunner inner, uint marker, int register) : IGuestRunner
{
    public string Name => "broken";

    public RunOutput Run(string path, IReadOnlyList<string> arguments)
    {
        RunOutput output = inner.Run(path, arguments);
        byte[] elf = File.ReadAllBytes(path);
        if (!elf.AsSpan().IndexOf(BitConverter.GetBytes(marker)).Equals(-1))
        {
            byte[] stdout = (byte[])output.Stdout.Clone();
            stdout[8 * (register - 1)] ^= 1;
            return output with { Stdout = stdout };
        }
        return output;
    }
}
