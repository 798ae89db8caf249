namespace Osprey.Machine.Tests.Differential;

/// <summary>The reference: QEMU's RISC-V CPU in user mode, the same way a developer would run the program.</summary>
internal sealed class QemuRunner(TimeSpan timeout) : IGuestRunner
{
    private readonly string _qemu = HostTools.Qemu;

    public string Name => "qemu";

    public RunOutput Run(string path, IReadOnlyList<string> arguments) => ReferenceCache.Reference(path, arguments, () =>
    {
        (int exit, byte[] stdout, string stderr) = HostTools.Run(_qemu, [path, .. arguments], timeout);
        return new RunOutput(exit, stdout, stderr);
    });
}
