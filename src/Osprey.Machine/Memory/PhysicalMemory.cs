using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Osprey.Machine.Memory;

/// <summary>
/// Guest RAM: a contiguous range of physical addresses starting at <see cref="Base"/>.
/// The bytes live in native memory so that harts on different host threads can do real
/// host atomics on them (LR/SC and AMOs) and so the interpreter can use raw pointers.
/// Host-side accessors here are for the kernel and loaders; they throw on addresses
/// outside RAM because a kernel that touches such an address has a bug.
/// </summary>
public sealed unsafe class PhysicalMemory : IDisposable
{
    public const ulong Base = 0x8000_0000;
    public const int PageSize = 4096;
    public const int PageShift = 12;
    public const ulong DefaultSize = 128UL << 20;

    // RAM starts on a host page (_block is what malloc returned): then every guest page is one
    // host page and every guest cache line one host line. calloc's own start is 16 bytes into a
    // page, which put each guest page across two host pages (two host TLB entries for one guest
    // TLB entry) and each guest line across two host lines, so two CPUs' slab objects a guest
    // line apart still shared a host line, and every write to one stalled the other.
    private byte* _ram;
    private byte* _block;

    // One byte per frame: non-zero once some hart has decoded instructions from that frame.
    // Host writes to such a frame bump CodeEpoch, which tells harts to drop decoded code, so
    // the kernel need not remember to flush after loading a program into a reused frame.
    // Guest stores do not: the ISA requires fence.i for that.
    private readonly byte[] _codeFrames;
    private long _codeEpoch;

    // Per frame: how many times a host write found it marked as code, so a JIT code cache can
    // tell which of its frames to check after CodeEpoch moves without comparing them all.
    private readonly uint[] _codeWrites;

    public PhysicalMemory(ulong size = DefaultSize)
    {
        if (size == 0 || size % PageSize != 0 || size > (64UL << 30))
            throw new ArgumentOutOfRangeException(nameof(size), size, "RAM size must be a positive multiple of 4096 bytes, at most 64 GiB");
        Size = size;
        // calloc: the host maps large blocks as zero pages on first touch, so a big RAM costs
        // nothing until the guest uses it (clearing it here would touch every page at boot).
        // One page more than asked for, to start RAM on the first host page boundary in it.
        _block = (byte*)NativeMemory.AllocZeroed((nuint)size + PageSize);
        _ram = (byte*)(((nuint)_block + PageSize - 1) & ~(nuint)(PageSize - 1));
        _codeFrames = new byte[size / PageSize];
        _codeWrites = new uint[size / PageSize];
    }

    public ulong Size { get; }

    /// <summary>One past the last physical address of RAM.</summary>
    public ulong End => Base + Size;

    public ulong FrameCount => Size / PageSize;

    /// <summary>Bumped whenever the host writes to a frame that holds decoded code.</summary>
    public long CodeEpoch => Volatile.Read(ref _codeEpoch);

    /// <summary>True when [pa, pa+length) lies wholly in RAM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong pa, ulong length) =>
        pa >= Base && pa - Base <= Size && length <= Size - (pa - Base);

    /// <summary>Host pointer for a physical address; the caller has checked the range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* Pointer(ulong pa) => _ram + (pa - Base);

    internal void MarkCodeFrame(ulong pa) => Volatile.Write(ref _codeFrames[(pa - Base) >> PageShift], 1);

    /// <summary>How many host writes have found frame <paramref name="frame"/> (numbered from Base) marked as code.</summary>
    internal uint CodeWrites(int frame) => Volatile.Read(ref _codeWrites[frame]);

    public byte Read8(ulong pa) => *Checked(pa, 1);
    public ushort Read16(ulong pa) => Unsafe.ReadUnaligned<ushort>(Checked(pa, 2));
    public uint Read32(ulong pa) => Unsafe.ReadUnaligned<uint>(Checked(pa, 4));
    public ulong Read64(ulong pa) => Unsafe.ReadUnaligned<ulong>(Checked(pa, 8));

    public void Write8(ulong pa, byte value)
    {
        *Checked(pa, 1) = value;
        NoteHostWrite(pa, 1);
    }

    public void Write16(ulong pa, ushort value)
    {
        Unsafe.WriteUnaligned(Checked(pa, 2), value);
        NoteHostWrite(pa, 2);
    }

    public void Write32(ulong pa, uint value)
    {
        Unsafe.WriteUnaligned(Checked(pa, 4), value);
        NoteHostWrite(pa, 4);
    }

    public void Write64(ulong pa, ulong value)
    {
        Unsafe.WriteUnaligned(Checked(pa, 8), value);
        NoteHostWrite(pa, 8);
    }

    public void Read(ulong pa, Span<byte> destination) =>
        new ReadOnlySpan<byte>(Checked(pa, (ulong)destination.Length), destination.Length).CopyTo(destination);

    public void Write(ulong pa, ReadOnlySpan<byte> source)
    {
        source.CopyTo(new Span<byte>(Checked(pa, (ulong)source.Length), source.Length));
        NoteHostWrite(pa, (ulong)source.Length);
    }

    public void Zero(ulong pa, ulong length)
    {
        NativeMemory.Clear(Checked(pa, length), (nuint)length);
        NoteHostWrite(pa, length);
    }

    public void Fill(ulong pa, ulong length, byte value)
    {
        NativeMemory.Fill(Checked(pa, length), (nuint)length, value);
        NoteHostWrite(pa, length);
    }

    /// <summary>Copies between physical ranges; the ranges may overlap.</summary>
    public void Copy(ulong destination, ulong source, ulong length)
    {
        byte* src = Checked(source, length);
        byte* dst = Checked(destination, length);
        Buffer.MemoryCopy(src, dst, length, length);
        NoteHostWrite(destination, length);
    }

    private byte* Checked(ulong pa, ulong length)
    {
        if (!Contains(pa, length))
            throw new ArgumentOutOfRangeException(nameof(pa), $"physical range 0x{pa:x}+{length} is outside RAM [0x{Base:x}, 0x{End:x})");
        return _ram + (pa - Base);
    }

    // Called after the bytes are written, never before: a code cache that re-marks a frame and
    // then compares its bytes (see Jit/CodeCache.cs) either sees these bytes or has its mark
    // seen here, so a write can never slip between its check and its mark unnoticed.
    private void NoteHostWrite(ulong pa, ulong length)
    {
        if (length == 0)
            return;
        ulong first = (pa - Base) >> PageShift, last = (pa - Base + length - 1) >> PageShift;
        for (ulong f = first; f <= last; f++)
        {
            if (_codeFrames[f] != 0)
            {
                _codeFrames[f] = 0;
                Interlocked.Increment(ref _codeWrites[f]);
                Interlocked.Increment(ref _codeEpoch);
            }
        }
    }

    public void Dispose()
    {
        if (_ram != null)
        {
            NativeMemory.Free(_block);
            _ram = _block = null;
        }
        GC.SuppressFinalize(this);
    }

    ~PhysicalMemory() => Dispose();
}
