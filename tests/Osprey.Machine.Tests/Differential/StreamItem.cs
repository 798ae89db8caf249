namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// One unit of a random stream: usually one instruction, sometimes a short sequence that only
/// makes sense whole (an address set-up and the AMO using it, an LR/SC pair). Bisection cuts
/// streams between items, never inside one, so a sequence's invariants hold in every prefix.
/// </summary>
/// <param name="Text">Assembly lines separated by '\n'; <see cref="TargetPlaceholder"/> stands for the branch target's label.</param>
/// <param name="Target">Index of the item a branch or jump lands on (the stream's length means "the epilogue"), or -1.</param>
internal sealed record StreamItem(string Text, int Target = -1)
{
    public const string TargetPlaceholder = "{target}";

    public bool IsBranch => Target >= 0;
}
