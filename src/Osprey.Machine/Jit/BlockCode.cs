using Osprey.Machine.Cpu;

namespace Osprey.Machine.Jit;

/// <summary>
/// A translated block, as a delegate closed over its <see cref="Translation"/>: runs guest code
/// from <paramref name="pc"/> with <paramref name="left"/> instructions of budget, and returns
/// a <see cref="JitExit"/> with the exit record in <paramref name="state"/>. A closed delegate
/// invoke is one indirect jump, so translations tail-call each other through these to chain.
/// </summary>
internal unsafe delegate int BlockCode(Hart hart, JitState* state, ulong pc, long left);
