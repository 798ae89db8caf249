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
                runs = OptionParsing.ParseRuns(arg == "--runs" ? OptionParsing.NextValue(args, ref i, arg) : arg["--runs=".Length..]);
            else if (arg.StartsWith('-'))
                throw new UsageException($"unknown option '{arg}'");
            else
                programs.Add(arg);
        }
        return new GuestOptions(runs, qemu, programs);
    }
}
