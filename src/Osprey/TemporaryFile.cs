namespace Osprey;

/// <summary>A file in the temporary directory that is deleted on dispose.</summary>
public sealed class TemporaryFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"osprey-{Guid.NewGuid():N}.img");

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
