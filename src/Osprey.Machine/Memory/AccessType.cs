namespace Osprey.Machine.Memory;

/// <summary>The kind of access a translation is for; stores include AMOs and SC.</summary>
public enum AccessType
{
    Fetch,
    Load,
    Store,
}
