using System.CommandLine;
using System.Security.Cryptography;
using Osprey.Kernel;
using InputRecording = Osprey.Kernel.Dev.InputRecording;

namespace Osprey.Commands;

/// <summary>
/// The reproducible-run switches, shared by run and boot: <c>--seed N</c> (a deterministic
/// run: the CPUs take turns and every scheduling choice comes from N; time is virtual),
/// <c>--deterministic</c> (the same with a seed picked at random, printed first so the run
/// says how to repeat itself), <c>--record FILE</c> (keep the console input with the virtual
/// instants it arrived at) and <c>--replay FILE</c> (play such a file back as the input, with
/// its seed).
/// </summary>
public sealed class DeterminismOptions
{
    private readonly Option<ulong?> _seed = new("--seed")
    {
        HelpName = "N",
        Description = "Run deterministically: the simulated CPUs take turns chosen from seed N, time is virtual; the same seed and input give the same run",
    };

    private readonly Option<bool> _deterministic = new("--deterministic")
    {
        Description = "Run deterministically with a seed picked at random (printed first, to repeat the run with --seed)",
    };

    private readonly Option<string?> _record = new("--record")
    {
        HelpName = "FILE",
        Description = "Keep the console input with the virtual times it arrived at in FILE (implies a deterministic run)",
    };

    private readonly Option<string?> _replay = new("--replay")
    {
        HelpName = "FILE",
        Description = "Give the console the input recorded in FILE at its recorded times, with its seed, instead of this terminal's",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_seed);
        command.Options.Add(_deterministic);
        command.Options.Add(_record);
        command.Options.Add(_replay);
    }

    /// <summary>
    /// <paramref name="options"/> with the switches as parsed, and what to close after the run
    /// (the recording); null with a one-line message on stderr if they cannot be used.
    /// </summary>
    public KernelOptions? Apply(ParseResult parse, KernelOptions options, out IDisposable? toClose)
    {
        toClose = null;
        ulong? seed = parse.GetValue(_seed);
        string? record = parse.GetValue(_record);
        string? replay = parse.GetValue(_replay);
        if (record != null && replay != null)
            return Fail("--record and --replay cannot be used together");
        if (replay != null)
        {
            InputRecording recording;
            try
            {
                using var reader = new StreamReader(replay);
                recording = InputRecording.Parse(reader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return Fail($"{replay}: {e.Message}");
            }
            if (seed != null && seed != recording.Seed)
                return Fail($"{replay} was recorded with --seed {recording.Seed}, not {seed}");
            if (recording.Cpus != options.Cpus)
                return Fail($"{replay} was recorded on {recording.Cpus} CPUs; give --cpus {recording.Cpus}");
            return options with { ReplayInput = recording, Seed = recording.Seed, ConsoleIsTerminal = recording.Terminal };
        }
        if (seed == null && (parse.GetValue(_deterministic) || record != null))
        {
            seed = (ulong)RandomNumberGenerator.GetInt32(int.MaxValue);
            Console.Error.WriteLine($"osprey: deterministic run, seed {seed} (repeat it with --seed {seed})");
        }
        if (seed == null)
            return options;
        options = options with { Seed = seed };
        if (record != null)
        {
            try
            {
                var writer = new StreamWriter(record);
                toClose = writer;
                options = options with { RecordInput = writer };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"{record}: {e.Message}");
            }
        }
        return options;
    }

    private static KernelOptions? Fail(string message)
    {
        Console.Error.WriteLine($"osprey: {message}");
        return null;
    }
}
