using System.Globalization;

namespace Osprey.Kernel.Dev;

/// <summary>
/// A deterministic run's console input with the virtual instants it arrived at, as
/// <c>--record FILE</c> writes it and <c>--replay FILE</c> reads it. One line each:
/// <code>
/// osprey-input 1
/// seed 12345
/// cpus 3
/// terminal 0
/// in 57 6c730a      (bytes, in hex, given at the start of turn 57)
/// idle 812 6c730a   (given when the machine was quiescent in turn 812)
/// eof 900           (the input ended, at a quiescent moment of turn 900)
/// end 1100          (the input ended at the start of turn 1100: a terminal that closed, or
///                    Ctrl-A x, while the machine ran)
/// halt 1203         (the machine was powered off at the start of turn 1203)
/// </code>
/// Turns are counted by the <see cref="Sched.Interleaver"/>, so the same seed reaches the same
/// turn at the same point of the run.
/// </summary>
public sealed class InputRecording
{
    public const string Magic = "osprey-input 1";

    public ulong Seed { get; init; }

    public int Cpus { get; init; }

    /// <summary>Whether a person typed it (idle time then passed while nobody typed).</summary>
    public bool Terminal { get; init; }

    public List<InputEvent> Events { get; } = [];

    /// <summary>Reads a recording; throws <see cref="InvalidDataException"/> with the line at fault.</summary>
    public static InputRecording Parse(TextReader reader)
    {
        if (reader.ReadLine() != Magic)
            throw new InvalidDataException($"not an Osprey input recording (the first line is not \"{Magic}\")");
        ulong seed = 0;
        int cpus = 0;
        bool terminal = false;
        var events = new List<InputEvent>();
        int number = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            number++;
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                switch (f)
                {
                    case []:
                        break;
                    case ["seed", var v]:
                        seed = ulong.Parse(v, CultureInfo.InvariantCulture);
                        break;
                    case ["cpus", var v]:
                        cpus = int.Parse(v, CultureInfo.InvariantCulture);
                        break;
                    case ["terminal", var v]:
                        terminal = v == "1";
                        break;
                    case ["in" or "idle", var turn, var hex]:
                        events.Add(new InputEvent(f[0] == "in" ? InputEventKind.AtTurn : InputEventKind.WhenIdle, long.Parse(turn, CultureInfo.InvariantCulture), Convert.FromHexString(hex)));
                        break;
                    case ["eof", var turn]:
                        events.Add(new InputEvent(InputEventKind.EndOfInput, long.Parse(turn, CultureInfo.InvariantCulture), []));
                        break;
                    case ["end", var turn]:
                        events.Add(new InputEvent(InputEventKind.EndAtTurn, long.Parse(turn, CultureInfo.InvariantCulture), []));
                        break;
                    case ["halt", var turn]:
                        events.Add(new InputEvent(InputEventKind.Halt, long.Parse(turn, CultureInfo.InvariantCulture), []));
                        break;
                    default:
                        throw new FormatException("unknown record");
                }
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"line {number}: {e.Message}: {line}");
            }
        }
        var recording = new InputRecording { Seed = seed, Cpus = cpus, Terminal = terminal };
        recording.Events.AddRange(events);
        return recording;
    }

    /// <summary>Writes the header of a recording.</summary>
    public static void WriteHeader(TextWriter writer, ulong seed, int cpus, bool terminal)
    {
        writer.WriteLine(Magic);
        writer.WriteLine($"seed {seed}");
        writer.WriteLine($"cpus {cpus}");
        writer.WriteLine($"terminal {(terminal ? 1 : 0)}");
        writer.Flush();
    }

    public static void Write(TextWriter writer, InputEvent e)
    {
        writer.WriteLine(e.Kind switch
        {
            InputEventKind.AtTurn => $"in {e.Turn} {Convert.ToHexString(e.Bytes).ToLowerInvariant()}",
            InputEventKind.WhenIdle => $"idle {e.Turn} {Convert.ToHexString(e.Bytes).ToLowerInvariant()}",
            InputEventKind.EndOfInput => $"eof {e.Turn}",
            InputEventKind.EndAtTurn => $"end {e.Turn}",
            _ => $"halt {e.Turn}",
        });
        writer.Flush();
    }
}
