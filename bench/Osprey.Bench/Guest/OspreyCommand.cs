namespace Osprey.Bench.Guest;

/// <summary>How to start the osprey command built from src/Osprey: its apphost, or <c>dotnet osprey.dll</c> where there is none.</summary>
internal sealed record OspreyCommand(string File, IReadOnlyList<string> Prefix)
{
    private static readonly string Project = Path.Combine("src", "Osprey", "Osprey.csproj");

    /// <summary>Builds src/Osprey in Release and asks MSBuild where the result is, so output-path settings are respected.</summary>
    public static OspreyCommand Build(string root, out IReadOnlyList<string> commandsRun)
    {
        string dotnet = HostProcess.FindOnPath("dotnet") ?? throw new BenchmarkFailure("dotnet is not on PATH");
        string[] build = ["build", Project, "-c", "Release", "--nologo", "-v", "quiet", "-clp:ErrorsOnly"];
        ProcessResult built = HostProcess.Run(dotnet, build, root);
        if (built.ExitCode != 0)
            throw new BenchmarkFailure($"building {Project} failed:\n{built.Stdout}{built.Stderr}".TrimEnd());

        string[] query = ["msbuild", Project, "-p:Configuration=Release", "-nologo", "-getProperty:TargetPath"];
        ProcessResult asked = HostProcess.Run(dotnet, query, root);
        string dll = asked.Stdout.Trim();
        if (asked.ExitCode != 0 || !System.IO.File.Exists(dll))
            throw new BenchmarkFailure($"could not find the built osprey command (MSBuild said '{dll}')");
        commandsRun = [HostProcess.Format("dotnet", build)];

        string apphost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        return System.IO.File.Exists(apphost)
            ? new OspreyCommand(apphost, [])
            : new OspreyCommand(dotnet, [dll]);
    }

    /// <summary>osprey emulate with the JIT off (the interpreter alone) or on.</summary>
    public IReadOnlyList<string> Arguments(string program, bool jit) =>
        [.. Prefix, "emulate", "--abi", "linux", "--stats", "--jit", jit ? "on" : "off", program];
}
