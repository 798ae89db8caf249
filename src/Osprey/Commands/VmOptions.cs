using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// The virtual-memory teaching switches, shared by run and boot: <c>--no-cow</c> (fork copies
/// every page, as xv6 does) and <c>--lazy-sbrk</c> (sbrk only moves the break, the MIT lazy
/// lab's first step). The defaults are what a real kernel does: copy-on-write fork, and an
/// sbrk that promises its pages at once so that it fails at once when memory cannot back them.
/// </summary>
public sealed class VmOptions
{
    private readonly Option<bool> _noCow = new("--no-cow")
    {
        Description = "Copy every page at fork, as xv6 does, instead of sharing them copy-on-write (for comparison)",
    };

    private readonly Option<bool> _lazySbrk = new("--lazy-sbrk")
    {
        Description = "Let sbrk only move the break: heap pages appear on first touch, and a touch that finds no free frame kills the process",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_noCow);
        command.Options.Add(_lazySbrk);
    }

    /// <summary><paramref name="options"/> with the switches as parsed.</summary>
    public KernelOptions Apply(ParseResult parse, KernelOptions options) =>
        options with { NoCow = parse.GetValue(_noCow), LazySbrk = parse.GetValue(_lazySbrk) };
}
