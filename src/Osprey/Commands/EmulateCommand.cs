using System.CommandLine;
using System.Globalization;
using Osprey.Emulation;

namespace Osprey.Commands;

/// <summary><c>osprey emulate [--abi xv6|linux] [--stats] [--jit off|on|forced] [--jit-dump] PROGRAM [ARGS...]</c>.</summary>
public static class EmulateCommand
{
    public static Command Create()
    {
        var abi = new Option<string>("--abi")
        {
            Description = "System-call numbers the shim answers: xv6 (write 16, exit 2) or linux (write 64, exit 93/94)",
            DefaultValueFactory = _ => "xv6",
        };
        abi.AcceptOnlyFromAmong("xv6", "linux");
        var stats = new Option<bool>("--stats") { Description = "Print instructions retired, wall time and MIPS to stderr" };
        var memory = new Option<int>("--memory")
        {
            Description = "Guest RAM in MiB",
            DefaultValueFactory = _ => (int)(Osprey.Machine.Memory.PhysicalMemory.DefaultSize >> 20),
        };
        memory.Within(1, 65536, "MiB");
        var maxInstructions = new Option<ulong>("--max-instructions") { Description = "Stop the program after this many instructions (exit status 124)" };
        Option<string> jit = JitOption.Create();
        var jitDump = new Option<bool>("--jit-dump") { Description = "Print each block the JIT translates to stderr: its guest instructions, each over the IL it became" };
        var program = new Argument<string>("program") { Description = "A static RV64 ELF executable" };
        var args = new Argument<string[]>("args") { Description = "Arguments for the program", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("emulate", "Run one static RV64 program on one hart with a shim that answers only write and exit (a harness for the machine, like qemu-riscv64)");
        command.Options.Add(abi);
        command.Options.Add(stats);
        command.Options.Add(memory);
        command.Options.Add(maxInstructions);
        command.Options.Add(jit);
        command.Options.Add(jitDump);
        command.Arguments.Add(program);
        command.Arguments.Add(args);
        command.SetAction(parse => Run(
            parse.GetValue(program)!,
            parse.GetValue(args) ?? [],
            new EmulatorOptions
            {
                Abi = parse.GetValue(abi) == "linux" ? Abi.Linux : Abi.Xv6,
                MemoryBytes = (ulong)parse.GetValue(memory) << 20,
                MaxInstructions = parse.GetValue(maxInstructions),
                Jit = JitOption.Options(parse.GetValue(jit), parse.GetValue(jitDump) ? Console.Error : null),
            },
            parse.GetValue(stats)));
        return command;
    }

    private static int Run(string program, string[] args, EmulatorOptions options, bool stats)
    {
        byte[] elf;
        try
        {
            elf = File.ReadAllBytes(program);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"osprey: cannot read {program}: {e.Message}");
            return CommandLine.UsageError;
        }

        using Stream stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        using Stream stderr = Console.OpenStandardError();
        EmulationResult result;
        try
        {
            result = Emulator.Run(elf, [program, .. args], options, stdout, stderr, Console.Error);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Not a static RV64 executable, arguments too large for the stack, or a program
            // too large for guest RAM: the user's input, so one line and a usage status.
            Console.Error.WriteLine($"osprey: {program}: {e.Message}");
            return CommandLine.UsageError;
        }
        if (stats)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stats: instret={result.Instructions} wall_ms={result.Wall.TotalMilliseconds:F3} mips={result.Mips:F1}"));
            if (result.Jit is Osprey.Machine.Jit.JitStatistics j)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"jit: blocks={j.Blocks} instructions={j.GuestInstructions} il_bytes={j.IlBytes} compile_ms={j.CompileTime.TotalMilliseconds:F3} " +
                    $"per_block_us={j.PerBlock.TotalMicroseconds:F1} invalidated={j.Invalidated} {result.JitCounters}"));
            }
        }
        return result.ExitCode;
    }
}
