using Osprey.Machine.Memory;

namespace Osprey.Bench.Machine;

/// <summary>Just enough Sv39 table building for benchmarks: 4 KiB user pages, tables from a bump pointer.</summary>
internal sealed class SimplePageTables(PhysicalMemory memory, ulong tableArea)
{
    private ulong _next = tableArea + PhysicalMemory.PageSize;

    public ulong Root { get; } = tableArea;

    public void Map(ulong va, ulong pa, ulong rights)
    {
        ulong table = Root;
        for (int level = 2; level > 0; level--)
        {
            ulong slot = table + ((va >> (12 + 9 * level)) & 0x1FF) * 8;
            ulong pte = memory.Read64(slot);
            if ((pte & Pte.V) == 0)
            {
                pte = Pte.Make(_next, Pte.V);
                _next += PhysicalMemory.PageSize;
                memory.Write64(slot, pte);
            }
            table = Pte.Address(pte);
        }
        memory.Write64(table + ((va >> 12) & 0x1FF) * 8, Pte.Make(pa, Pte.V | Pte.U | Pte.A | Pte.D | rights));
    }
}
