namespace Osprey.Machine.Tests.Differential;

/// <summary>Something that runs a static Linux-ABI RV64 program: qemu-riscv64, Osprey's emulator, or a test double.</summary>
internal interface IGuestRunner
{
    string Name { get; }

    /// <summary>Runs the ELF at <paramref name="path"/> with argv[0] = the path and <paramref name="arguments"/> after it.</summary>
    RunOutput Run(string path, IReadOnlyList<string> arguments);
}
