using System.Globalization;
using Osprey.Kernel.Mem;

namespace Osprey.Bench.Contention;

/// <summary>
/// The contention command's arguments: <c>[--cpus LIST] [--allocators LIST] [--rounds N]</c>.
/// Every allocator on every CPU count by default (1, 2, 3 and 4), stressmem with its 10 rounds.
/// </summary>
internal sealed record ContentionOptions(IReadOnlyList<int> Cpus, IReadOnlyList<string> Allocators, int Rounds)
{
    public static readonly IReadOnlyList<int> DefaultCpus = [1, 2, 3, 4];
    public const int DefaultRounds = 10;

    public static ContentionOptions Parse(IReadOnlyList<string> args)
    {
        IReadOnlyList<int> cpus = DefaultCpus;
        IReadOnlyList<string> allocators = FrameAllocator.PolicyNames;
        int rounds = DefaultRounds;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--cpus":
                    cpus = List(OptionParsing.NextValue(args, ref i, arg), arg, t => (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 8, n));
                    break;
                case "--allocators":
                    allocators = List(OptionParsing.NextValue(args, ref i, arg), arg, t => (FrameAllocator.PolicyNames.Contains(t), t));
                    break;
                case "--rounds":
                    string text = OptionParsing.NextValue(args, ref i, arg);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1 || rounds > 1000)
                        throw new UsageException($"--rounds wants a whole number from 1 to 1000, not '{text}'");
                    break;
                default:
                    throw new UsageException($"unknown contention option '{arg}'");
            }
        }
        return new ContentionOptions(cpus, allocators, rounds);
    }

    /// <summary>A comma-separated list, each item checked and converted by <paramref name="parse"/>, without repeats.</summary>
    private static IReadOnlyList<T> List<T>(string text, string option, Func<string, (bool Ok, T Item)> parse)
    {
        var items = new List<T>();
        foreach (string part in text.Split(','))
        {
            (bool ok, T item) = parse(part);
            if (!ok)
                throw new UsageException($"{option}: '{part}' is not one of the choices (CPU counts 1..8; allocators {string.Join(", ", FrameAllocator.PolicyNames)})");
            if (items.Contains(item))
                throw new UsageException($"{option} names {part} twice");
            items.Add(item);
        }
        return items;
    }
}
