namespace Osprey.Machine.Tests.Mmu;

/// <summary>The ways a user program touches memory, each with its own permission rule and fault cause.</summary>
public enum AccessKind
{
    Fetch,
    Load,
    Store,
    Amo,
    LoadReserved,
    StoreConditional,
}
