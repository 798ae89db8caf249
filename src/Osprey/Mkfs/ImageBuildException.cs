namespace Osprey.Mkfs;

/// <summary>What to build cannot be built: a bad name, a duplicate, a file or tree too big.</summary>
public sealed class ImageBuildException(string message) : Exception(message);
