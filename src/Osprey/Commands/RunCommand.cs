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
        Option<long?> crash = CrashOption.Create();
        Option<string> jit = JitOption.Create();
        var program = new Argument<string>("program") { Description = "The program's path on the disk" };
        var args = new Argument<string[]>("args") { Description = "Its arguments", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("run", "Boot Osprey, run one program from the disk with the console on this terminal, and exit with its status");
        command.Options.Add(cpus);
        command.Options.Add(disk);
        command.Options.Add(memory);
        command.Options.Add(nproc);
        command.Options.Add(maxThreads);
        command.Options.Add(crash);
        command.Options.Add(jit);
        var vm = new VmOptions();
        vm.AddTo(command);
        var determinism = new DeterminismOptions();
        determinism.AddTo(command);
        KernelSwitches switches = KernelSwitches.AddTo(command);
        var kkv = new KkvOptions();
        kkv.AddTo(command);
        var insight = new InsightOptions();
        insight.AddTo(command);
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
                CrashAfterWrites = parse.GetValue(crash),
                Jit = JitOption.Options(parse.GetValue(jit)),
            });
            KernelOptions? chosen = determinism.Apply(parse, kkv.Apply(parse, vm.Apply(parse, options)), out IDisposable? recording);
            if (chosen == null || insight.Apply(parse, chosen) is not { } observed)
            {
                recording?.Dispose();
                return CommandLine.UsageError;
            }
            using (recording)
            {
                try
                {
                    string[] argv = [path, .. parse.GetValue(args) ?? []];
                    return Run(observed, parse.GetValue(disk), insight.Around(parse, kernel => kernel.Run(path, argv)));
                }
                finally
                {
                    insight.Close();
                }
            }
        });
        return command;
    }

    private static int Run(KernelOptions options, string? disk, Func<OspreyKernel, int> run) =>
        KernelLauncher.Launch(disk, options, kernel => CrashOption.Status(kernel, run(kernel) & 0xFF));
}
