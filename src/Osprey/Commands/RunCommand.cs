using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// <c>osprey run [--cpus N] [--disk IMAGE] [--crash-after-writes N] [--allocator NAME] [--lockdep] [--lockstat] [--allocstats] -- PROGRAM ARGS...</c>:
/// boot, run one program, exit with its status (or 137 if the disk was stopped under it).
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var cpus = new Option<int>("--cpus") { Description = "Simulated CPUs (1..8)", DefaultValueFactory = _ => 3 };
        cpus.Within(1, 8);
        var disk = new Option<string?>("--disk") { Description = "An xv6-format disk image (default: the image the build made from user/, copied per run)" };
        var memory = new Option<int>("--memory") { Description = "Guest RAM in MiB", DefaultValueFactory = _ => 128 };
        memory.Within(1, 4096, "MiB");
        var nproc = new Option<int>("--nproc") { Description = "Size of the process table", DefaultValueFactory = _ => 64 };
        nproc.Within(2, 4096);
        Option<int> maxThreads = MaxThreadsOption.Create();
        var deterministic = new Option<bool>("--deterministic") { Description = "Count time in retired instructions instead of host time" };
        Option<long?> crash = CrashOption.Create();
        var program = new Argument<string>("program") { Description = "The program's path on the disk" };
        var args = new Argument<string[]>("args") { Description = "Its arguments", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("run", "Boot Osprey, run one program from the disk with the console on this terminal, and exit with its status");
        command.Options.Add(cpus);
        command.Options.Add(disk);
        command.Options.Add(memory);
        command.Options.Add(nproc);
        command.Options.Add(maxThreads);
        command.Options.Add(deterministic);
        command.Options.Add(crash);
        var vm = new VmOptions();
        vm.AddTo(command);
        KernelSwitches switches = KernelSwitches.AddTo(command);
        command.Arguments.Add(program);
        command.Arguments.Add(args);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(program)!;
            // An option the parser does not know becomes the program's name; after "--" a name may start with '-'.
            if (path.StartsWith('-') && !parse.Tokens.Any(t => t.Type == System.CommandLine.Parsing.TokenType.DoubleDash))
            {
                Console.Error.WriteLine($"osprey: unknown option {path} (see 'osprey run --help')");
                return CommandLine.UsageError;
            }
            var options = switches.Apply(parse, new KernelOptions
            {
                Cpus = parse.GetValue(cpus),
                MemoryBytes = (ulong)parse.GetValue(memory) << 20,
                MaxProcesses = parse.GetValue(nproc),
                MaxThreads = parse.GetValue(maxThreads),
                Deterministic = parse.GetValue(deterministic),
                CrashAfterWrites = parse.GetValue(crash),
            });
            options = vm.Apply(parse, options);
            return Run(options, parse.GetValue(disk), path, [path, .. parse.GetValue(args) ?? []]);
        });
        return command;
    }

    private static int Run(KernelOptions options, string? disk, string program, string[] argv) =>
        KernelLauncher.Launch(disk, options, kernel => CrashOption.Status(kernel, kernel.Run(program, argv) & 0xFF));
}
