using System.CommandLine;
using System.Globalization;
using Osprey.Explore;

namespace Osprey.Commands;

/// <summary>What explore and replay share: the machine (--cpus, --memory, --disk), the instruction limit, the seed, and PROGRAM ARGS.</summary>
public sealed class ScheduleOptions
{
    private readonly Option<int> _cpus = new("--cpus") { Description = "Simulated CPUs (1..8)", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _memory = new("--memory") { Description = "Guest RAM in MiB", DefaultValueFactory = _ => 64 };
    private readonly Option<string?> _disk = new("--disk") { Description = "An xv6-format disk image to copy for every run (default: the image the build made from user/)" };
    private readonly Option<long> _limit = new("--max-instructions")
    {
        HelpName = "N",
        Description = "A run that retires more user instructions fails (it would not end)",
        DefaultValueFactory = _ => new ExploreSettings { Program = "", Argv = [] }.InstructionLimit,
    };
    private readonly Option<ulong> _seed = new("--seed") { HelpName = "N", Description = "Seed of the sampling and of the random schedules", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _kkvPlantedBug = new("--kkv-planted-bug") { Description = KkvOptions.PlantedBugDescription };
    private readonly Argument<string> _program = new("program") { Description = "The program's path on the disk" };
    private readonly Argument<string[]> _args = new("args") { Description = "Its arguments", Arity = ArgumentArity.ZeroOrMore };
    private bool _withCpus;

    public void AddTo(Command command, int? cpusDefault)
    {
        _withCpus = cpusDefault != null;
        if (_withCpus)
        {
            _cpus.Within(1, 8);
            command.Options.Add(_cpus);
            command.Options.Add(_seed);
        }
        _memory.Within(1, 4096, "MiB");
        command.Options.Add(_memory);
        command.Options.Add(_disk);
        command.Options.Add(_limit);
        command.Options.Add(_kkvPlantedBug);
        command.Arguments.Add(_program);
        command.Arguments.Add(_args);
    }

    /// <summary>The settings as parsed; null with a one-line message if the disk is missing.</summary>
    public ExploreSettings? Settings(ParseResult parse)
    {
        string? disk = parse.GetValue(_disk);
        string image = disk ?? DefaultImage.Path;
        if (!File.Exists(image))
        {
            Console.Error.WriteLine(disk == null
                ? $"osprey: no disk image: {DefaultImage.Path} has not been built (run ./osprey, or give --disk)"
                : $"osprey: {disk}: no such disk image");
            return null;
        }
        if (parse.GetValue(_limit) < 1)
        {
            Console.Error.WriteLine("osprey: --max-instructions must be at least 1");
            return null;
        }
        string program = parse.GetValue(_program)!;
        return new ExploreSettings
        {
            Program = program,
            Argv = [program, .. parse.GetValue(_args) ?? []],
            Cpus = _withCpus ? parse.GetValue(_cpus) : 2,
            Seed = _withCpus ? parse.GetValue(_seed) : 1,
            MemoryMiB = parse.GetValue(_memory),
            Disk = disk,
            InstructionLimit = parse.GetValue(_limit),
            KkvPlantedBug = parse.GetValue(_kkvPlantedBug),
        };
    }

    /// <summary>The arguments of osprey replay that repeat <paramref name="schedule"/> of an exploration.</summary>
    public static string ReplayArguments(ExploreSettings settings, Schedule schedule)
    {
        var words = new List<string>();
        if (settings.InstructionLimit != new ExploreSettings { Program = "", Argv = [] }.InstructionLimit)
            words.Add($"--max-instructions {settings.InstructionLimit.ToString(CultureInfo.InvariantCulture)}");
        if (settings.MemoryMiB != 64)
            words.Add($"--memory {settings.MemoryMiB}");
        if (settings.Disk != null)
            words.Add($"--disk {Quote(settings.Disk)}");
        if (settings.KkvPlantedBug)
            words.Add("--kkv-planted-bug");
        words.Add(schedule.ToString());
        words.AddRange(settings.Argv.Select(Quote));
        return string.Join(' ', words);
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./@,=:".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'";
}
