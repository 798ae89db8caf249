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

    public void AddTo(Command command)
    {
        command.Options.Add(_globalLock);
        command.Options.Add(_stats);
    }

    /// <summary><paramref name="options"/> with the switches as parsed.</summary>
    public KernelOptions Apply(ParseResult parse, KernelOptions options) =>
        options with { KkvGlobalLock = parse.GetValue(_globalLock), KkvStatsAtHalt = parse.GetValue(_stats) };
}
