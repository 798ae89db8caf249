using System.Reflection;

namespace Osprey.Bench.Guest;

/// <summary>
/// The repository root, where bench/guest and src/Osprey are. The project file records it
/// as assembly metadata at build time, so the tool works from any directory; a copied
/// build falls back to searching upwards from the current directory.
/// </summary>
internal static class RepositoryRoot
{
    private const string Marker = "Osprey.slnx";

    public static string Locate()
    {
        string? recorded = typeof(RepositoryRoot).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OspreyRoot")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(Path.Combine(recorded, Marker)))
            return Path.TrimEndingDirectorySeparator(recorded);

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
                return dir.FullName;
        }
        throw new BenchmarkFailure($"cannot find the repository ({Marker}); run from inside it");
    }
}
