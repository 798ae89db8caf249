using System.Globalization;

namespace Osprey.Bench.Guest;

/// <summary>The guest command's arguments: <c>[--runs N] [--no-qemu] [PROGRAM...]</c>.</summary>
internal sealed record GuestOptions(int Runs, bool Qemu, IReadOnlyList<string> Programs)
{
    public const int DefaultRuns = 3;

    public static GuestOptions Parse(IReadOnlyList<string> args)
    {
        int runs = DefaultRuns;
        bool qemu = true;
        var programs = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--no-qemu")
                qemu = false;
            else if (arg == "--runs" || arg.StartsWith("--runs=", StringComparison.Ordinal))
                runs = ParseRuns(arg == "--runs" ? NextValue(args, ref i, arg) : arg["--runs=".Length..]);
            else if (arg.StartsWith('-'))
                throw new UsageException($"unknown option '{arg}'");
            else
                programs.Add(arg);
        }
        return new GuestOptions(runs, qemu, programs);
    }

    private static string NextValue(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
            throw new UsageException($"{option} needs a value");
        return args[++i];
    }

    private static int ParseRuns(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int runs) || runs < 1 || runs > 1000)
            throw new UsageException($"--runs wants a whole number from 1 to 1000, not '{text}'");
        return runs;
    }
}
