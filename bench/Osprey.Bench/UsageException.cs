namespace Osprey.Bench;

/// <summary>Bad command-line arguments: reported as one line with the usage, exit status 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
