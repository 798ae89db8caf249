using System.Reflection;

namespace Osprey.Machine.Tests;

/// <summary>Paths into the repository and its build outputs, for tests that use guest programs.</summary>
public static class Repo
{
    public static string Root { get; } =
        typeof(Repo).Assembly.GetCustomAttribute<RepoRootAttribute>()!.Path.TrimEnd('/');

    /// <summary>Where the Makefiles put guest binaries (build/ at the repository root).</summary>
    public static string BuildDir => Path.Combine(Root, "build");

    /// <summary>A guest binary built by user/Makefile or bench/guest/Makefile, e.g. Guest("user/linux/hello").</summary>
    public static string Guest(string relative) => Path.Combine(BuildDir, relative);
}
