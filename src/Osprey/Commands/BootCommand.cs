using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey boot [--cpus N] [--disk IMAGE] [--allocator NAME] [--lockdep] [--lockstat] [--allocstats]</c>: boot to /init, with the console on this
/// terminal, until halt. On a terminal the terminal is in raw mode for the boot (the kernel
/// echoes and edits lines) and Ctrl-A x powers off; see <see cref="KernelLauncher"/>.
/// Without --disk the boot runs on a private copy of the default image, so every boot starts
/// clean; with --disk it runs on the image itself and its writes stay.
/// </summary>
public static class BootCommand
{
    public static Command Create()
    {
        var cpus = new Option<int>("--cpus") { Description = "Simulated CPUs (1..8)", DefaultValueFactory = _ => 3 };
        cpus.Within(1, 8);
        var disk = new Option<string?>("--disk") { Description = "An xv6-format disk image with /init, whose writes are kept (default: a fresh copy of the image the build made from user/)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "Count time in retired instructions instead of host time" };
        Option<int> maxThreads = MaxThreadsOption.Create();

        var command = new Command("boot", "Boot Osprey: pid 1 runs /init from the disk, with the console on this terminal, until the machine halts (Ctrl-A x powers off)");
        command.Options.Add(cpus);
        command.Options.Add(disk);
        command.Options.Add(deterministic);
        command.Options.Add(maxThreads);
        Option<long?> crash = CrashOption.Create();
        command.Options.Add(crash);
        var vm = new VmOptions();
        vm.AddTo(command);
        KernelSwitches switches = KernelSwitches.AddTo(command);
        command.SetAction(parse => Boot(parse.GetValue(disk), switches.Apply(parse, vm.Apply(parse, new KernelOptions
        {
            Cpus = parse.GetValue(cpus),
            Deterministic = parse.GetValue(deterministic),
            CrashAfterWrites = parse.GetValue(crash),
            MaxThreads = parse.GetValue(maxThreads),
        }))));
        return command;
    }

    private static int Boot(string? disk, KernelOptions options) =>
        KernelLauncher.Launch(disk, options, kernel => CrashOption.Status(kernel, kernel.BootInit()), interactive: true);
}
