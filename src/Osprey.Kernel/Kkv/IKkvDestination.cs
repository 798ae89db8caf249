namespace Osprey.Kernel.Kkv;

/// <summary>
/// Where a get's value goes (the caller's user buffer): <see cref="KeyValueStore.Get"/> calls
/// <see cref="Deliver"/> once it holds no lock. A struct implementing it is passed by
/// reference, so a get allocates nothing on the host (a closure and a delegate a call did).
/// </summary>
public interface IKkvDestination
{
    /// <summary>Copies the value out; false if it could not (the buffer went away meanwhile).</summary>
    bool Deliver(ReadOnlySpan<byte> value);
}
