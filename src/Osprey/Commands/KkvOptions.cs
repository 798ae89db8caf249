using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// The key-value store's switches, shared by run and boot: <c>--kkv-global-lock</c> (one
/// spinlock for all 17 buckets, to show what per-bucket locking buys) and <c>--kkvstats</c>
/// (its figures when the machine halts). The default is a lock per bucket.
/// </summary>
public sealed class KkvOptions
{
    private readonly Option<bool> _globalLock = new("--kkv-global-lock")
    {
        Description = "Guard all of the key-value store's buckets with one spinlock instead of one each (for comparison)",
    };

    private readonly Option<bool> _stats = new("--kkvstats")
    {
        Description = "Print the key-value store's pairs, waiting getters, bucket lengths and lock figures when the machine halts",
    };

    // Hidden from help: a bug planted for osprey explore to find (its help shows it, marked so).
    private readonly Option<bool> _plantedBug = new("--kkv-planted-bug")
    {
        Description = PlantedBugDescription,
        Hidden = true,
    };

    public const string PlantedBugDescription = "Teaching and tests only: break kkv on purpose (destroy frees the placeholder of a blocked get without waking it), for osprey explore to find";

    public void AddTo(Command command)
    {
        command.Options.Add(_globalLock);
        command.Options.Add(_stats);
        command.Options.Add(_plantedBug);
    }

    /// <summary><paramref name="options"/> with the switches as parsed.</summary>
    public KernelOptions Apply(ParseResult parse, KernelOptions options) =>
        options with { KkvGlobalLock = parse.GetValue(_globalLock), KkvStatsAtHalt = parse.GetValue(_stats), KkvPlantedBug = parse.GetValue(_plantedBug) };
}
