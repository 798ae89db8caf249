using System.Runtime.CompilerServices;

namespace Osprey.Machine.Jit;

/// <summary>Small operations generated code calls (the .NET JIT inlines them) where IL has no single instruction.</summary>
internal static class JitHelpers
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong a, ulong b) => (ulong)Math.BigMul((long)a, (long)b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHighUnsigned(ulong a, ulong b) => Math.BigMul(a, b, out _);
}
