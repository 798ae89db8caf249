using Osprey.Emulation;

namespace Osprey.Machine.Tests.Differential;

/// <summary>The machine under test, run in-process through <see cref="Emulator"/> with the Linux ABI.</summary>
/// <param name="maxInstructions">Stops a runaway program (exit 124) instead of hanging the test.</param>
/// <param name="memoryBytes">
/// Guest RAM. Small programs get little: the emulator zeroes all of it up front, which for
/// the default 128 MiB costs more than running a random stream batch.
/// </param>
internal sealed class OspreyRunner(ulong maxInstructions, ulong memoryBytes = Osprey.Machine.Memory.PhysicalMemory.DefaultSize) : IGuestRunner
{
    public string Name => "osprey";

    public RunOutput Run(string path, IReadOnlyList<string> arguments)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var diagnostics = new StringWriter();
        var options = new EmulatorOptions { Abi = Abi.Linux, MaxInstructions = maxInstructions, MemoryBytes = memoryBytes };
        EmulationResult result = Emulator.Run(File.ReadAllBytes(path), [path, .. arguments], options, stdout, stderr, diagnostics);
        string messages = System.Text.Encoding.UTF8.GetString(stderr.ToArray()) + diagnostics;
        return new RunOutput(result.ExitCode, stdout.ToArray(), messages, result.Instructions);
    }
}
