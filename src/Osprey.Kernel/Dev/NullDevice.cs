using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Dev;

/// <summary>
/// /null (major <c>NULLDEV</c>, 3; it was 2 until the statistics device took that number): reads see end of file at once, writes accept every byte and
/// keep none. The buffer is still checked, so a bad pointer fails here as it would anywhere.
/// </summary>
public sealed class NullDevice : ICharacterDevice
{
    public int Read(UserBuffer destination, int count) => 0;

    public int Write(UserBuffer source, int count) => count;

    public bool IsTerminal => false;
}
