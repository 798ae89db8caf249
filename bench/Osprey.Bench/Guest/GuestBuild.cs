namespace Osprey.Bench.Guest;

/// <summary>Builds a folder of guest programs with make and asks make which binaries it builds.</summary>
internal static class GuestBuild
{
    /// <summary>Runs <c>make -s -C DIR</c>, then <c>make -s -C DIR list</c>; the binaries' paths relative to the root.</summary>
    public static List<string> MakeAndList(string make, string root, string directory)
    {
        ProcessResult built = HostProcess.Run(make, ["-s", "-C", directory], root);
        if (built.ExitCode != 0)
            throw new BenchmarkFailure($"make -s -C {directory} failed:\n{built.Stdout}{built.Stderr}".TrimEnd());
        ProcessResult listed = HostProcess.Run(make, ["-s", "-C", directory, "list"], root);
        var programs = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Path.GetRelativePath(root, p))
            .ToList();
        if (listed.ExitCode != 0 || programs.Count == 0)
            throw new BenchmarkFailure($"make -s -C {directory} list named no programs");
        return programs;
    }
}
