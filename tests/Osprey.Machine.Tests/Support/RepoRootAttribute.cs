namespace Osprey.Machine.Tests;

/// <summary>The repository root, baked in at build time so tests can find user/ and build/.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class RepoRootAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}
