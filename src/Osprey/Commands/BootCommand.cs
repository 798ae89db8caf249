using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary><c>osprey boot [--cpus N] [--disk IMAGE]</c>: boot to /init, with the console on this terminal, until halt.</summary>
public static class BootCommand
{
    public static Command Create()
    {
        var cpus = new Option<int>("--cpus") { Description = "Simulated CPUs (1..8)", DefaultValueFactory = _ => 3 };
        cpus.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 8)
                r.AddError("--cpus must be between 1 and 8");
        });
        var disk = new Option<string?>("--disk") { Description = "An xv6-format disk image with /init (default: the image the build made from user/, copied per boot)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "Count time in retired instructions instead of host time" };

        var command = new Command("boot", "Boot Osprey: pid 1 runs /init from the disk, with the console on this terminal, until the machine halts");
        command.Options.Add(cpus);
        command.Options.Add(disk);
        command.Options.Add(deterministic);
        command.SetAction(parse => Boot(parse.GetValue(cpus), parse.GetValue(disk), parse.GetValue(deterministic)));
        return command;
    }

    private static int Boot(int cpus, string? disk, bool deterministic) =>
        KernelLauncher.Launch(disk, new KernelOptions { Cpus = cpus, Deterministic = deterministic }, kernel => kernel.BootInit());
}
