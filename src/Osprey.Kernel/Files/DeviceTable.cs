using Osprey.Kernel.Dev;

namespace Osprey.Kernel.Files;

/// <summary>Device drivers by major number (xv6's devsw). Filled at boot, read-only after.</summary>
public sealed class DeviceTable
{
    public const int MaxMajor = 10;

    private readonly ICharacterDevice?[] _devices = new ICharacterDevice?[MaxMajor];

    public void Register(int major, ICharacterDevice device) => _devices[major] = device;

    /// <summary>The driver for a major number, or null (a bad or unknown major).</summary>
    public ICharacterDevice? this[int major] => major >= 0 && major < MaxMajor ? _devices[major] : null;
}
