namespace Osprey.Emulation;

/// <summary>A PT_LOAD program header. <see cref="Flags"/> holds PF_X (1), PF_W (2) and PF_R (4).</summary>
public readonly record struct ElfSegment(uint Flags, ulong FileOffset, ulong VirtualAddress, ulong FileSize, ulong MemorySize)
{
    public bool Executable => (Flags & 1) != 0;
    public bool Writable => (Flags & 2) != 0;
    public bool Readable => (Flags & 4) != 0;
}
