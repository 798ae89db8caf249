using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey boot [--cpus N] [--disk IMAGE] [--init NAME] [--allocator NAME] [--lockdep] [--lockstat] [--allocstats]</c>: boot to /init (or /NAME), with the console on this
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
        Option<string> jit = JitOption.Create();
        Option<int> maxThreads = MaxThreadsOption.Create();
        var init = new Option<string>("--init")
        {
            HelpName = "NAME",
            Description = "The program pid 1 runs, from the disk's root: init (xv6's init and sh) or pebbles_init (the Pebbles init and shell)",
            DefaultValueFactory = _ => KernelOptions.DefaultInitProgram,
        };
        init.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && !IsProgramName(token.Value))
                r.AddError($"--init must name a program in the disk's root directory (1 to 14 bytes, no '/'), not '{token.Value}'");
        });

        var command = new Command("boot", "Boot Osprey: pid 1 runs /init from the disk, with the console on this terminal, until the machine halts (Ctrl-A x powers off)");
        command.Options.Add(cpus);
        command.Options.Add(disk);
        command.Options.Add(jit);
        command.Options.Add(maxThreads);
        command.Options.Add(init);
        Option<long?> crash = CrashOption.Create();
        command.Options.Add(crash);
        var vm = new VmOptions();
        vm.AddTo(command);
        var determinism = new DeterminismOptions();
        determinism.AddTo(command);
        KernelSwitches switches = KernelSwitches.AddTo(command);
        var kkv = new KkvOptions();
        kkv.AddTo(command);
        var insight = new InsightOptions();
        insight.AddTo(command);
        command.SetAction(parse =>
        {
            KernelOptions? chosen = determinism.Apply(parse, kkv.Apply(parse, switches.Apply(parse, vm.Apply(parse, new KernelOptions
            {
                Cpus = parse.GetValue(cpus),
                CrashAfterWrites = parse.GetValue(crash),
                Jit = JitOption.Options(parse.GetValue(jit)),
                MaxThreads = parse.GetValue(maxThreads),
                InitProgram = parse.GetValue(init)!,
            }))), out IDisposable? recording);
            if (chosen == null || insight.Apply(parse, chosen) is not { } options)
            {
                recording?.Dispose();
                return CommandLine.UsageError;
            }
            using (recording)
            {
                try
                {
                    return Boot(parse.GetValue(disk), options, insight.Around(parse, kernel => kernel.BootInit()));
                }
                finally
                {
                    insight.Close();
                }
            }
        });
        return command;
    }

    /// <summary>A name that can be a file in the root directory (DIRSIZ bytes at most).</summary>
    private static bool IsProgramName(string name) =>
        name.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(name) <= Osprey.Kernel.Fs.FsLayout.NameLength && !name.Contains('/') && name != "." && name != "..";

    private static int Boot(string? disk, KernelOptions options, Func<OspreyKernel, int> boot) =>
        KernelLauncher.Launch(disk, options, kernel => CrashOption.Status(kernel, boot(kernel)), interactive: true);
}
