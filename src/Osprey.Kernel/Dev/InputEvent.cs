namespace Osprey.Kernel.Dev;

/// <summary>One piece of a deterministic run's console input, and the turn it arrived in (see <see cref="InputRecording"/>).</summary>
public sealed record InputEvent(InputEventKind Kind, long Turn, byte[] Bytes);
