using System.Globalization;

namespace Osprey.Bench;

/// <summary>What the subcommands' hand-written option parsers share.</summary>
internal static class OptionParsing
{
    /// <summary>The value after an option given as two words (<c>--runs 5</c>).</summary>
    public static string NextValue(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
            throw new UsageException($"{option} needs a value");
        return args[++i];
    }

    public static int ParseRuns(string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int runs) || runs < 1 || runs > 1000)
            throw new UsageException($"--runs wants a whole number from 1 to 1000, not '{text}'");
        return runs;
    }
}
