using System.CommandLine;
using Osprey.Kernel;
using Osprey.Kernel.Mem;

namespace Osprey.Commands;

/// <summary>
/// The memory and lock teaching switches, shared by run and boot: which frame allocator, whether
/// lockdep checks the lock order, and which figures to print when the machine halts.
/// </summary>
public sealed class KernelSwitches
{
    private readonly Option<string> _allocator = new("--allocator")
    {
        HelpName = "NAME",
        Description = $"The frame allocator: {string.Join(", ", FrameAllocator.PolicyNames)} (docs/kernel.md, Memory)",
        DefaultValueFactory = _ => FrameAllocator.PolicyNames[0],
    };

    private readonly Option<bool> _lockdep = new("--lockdep") { Description = "Check the lock order on every acquisition and panic at the first inversion" };
    private readonly Option<bool> _lockstat = new("--lockstat") { Description = "Print the lock_stat table (contention, wait and hold times per lock class) at halt" };
    private readonly Option<bool> _allocstats = new("--allocstats") { Description = "Print the frame allocator's and the slab caches' counters at halt" };

    private KernelSwitches()
    {
        // One line naming the choices, rather than the parser's list of them.
        _allocator.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && !FrameAllocator.PolicyNames.Contains(token.Value))
                r.AddError($"--allocator must be one of {string.Join(", ", FrameAllocator.PolicyNames)}, not {token.Value}");
        });
    }

    /// <summary>Adds the switches to <paramref name="command"/>.</summary>
    public static KernelSwitches AddTo(Command command)
    {
        var switches = new KernelSwitches();
        command.Options.Add(switches._allocator);
        command.Options.Add(switches._lockdep);
        command.Options.Add(switches._lockstat);
        command.Options.Add(switches._allocstats);
        return switches;
    }

    /// <summary>The options with the switches as parsed.</summary>
    public KernelOptions Apply(ParseResult parse, KernelOptions options) => options with
    {
        Allocator = parse.GetValue(_allocator)!,
        Lockdep = parse.GetValue(_lockdep),
        LockStatAtHalt = parse.GetValue(_lockstat),
        AllocStatsAtHalt = parse.GetValue(_allocstats),
    };
}
