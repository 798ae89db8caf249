using System.Runtime.InteropServices;
using System.Threading;
using Osprey.Machine.Jit;
using Osprey.Machine.Memory;
using Osprey.Machine.Time;

namespace Osprey.Machine.Cpu;

/// <summary>
/// A RISC-V RV64GC (RV64IMAFDC + Zicsr + Zifencei) hart that executes user mode only.
///
/// <see cref="Run"/> executes instructions on the calling host thread until something needs
/// the kernel, and returns a <see cref="Trap"/> record; the hart never calls the kernel. The
/// register file, pc and MMU belong to whichever host thread calls Run; only
/// <see cref="RaiseInterrupt"/> may be called from other threads while it runs.
///
/// Decoded instructions are cached per physical frame. The cache is dropped on fence.i, on
/// <see cref="FlushCodeCache"/>, and when the host writes to a frame that holds decoded code
/// (see <see cref="PhysicalMemory.CodeEpoch"/>).
///
/// With the JIT tier on (see <see cref="JitOptions"/> and Hart.Jit.cs), code that runs often is
/// translated into host code, and the interpreter runs the rest; the results are the same.
/// </summary>
public sealed unsafe partial class Hart : IDisposable
{
    /// <summary>How many instructions run between checks for pending interrupts.</summary>
    public const int InterruptCheckInterval = 4096;

    private const int SlotsPerPage = PhysicalMemory.PageSize / 2;

    private readonly PhysicalMemory _memory;
    private readonly ITimeSource _time;

    // x0..x31, then the sink that rd = x0 writes go to, then f0..f31 (from
    // Decoder.FloatBase). Native, so the interpreter indexes it without bounds checks.
    private readonly ulong* _regs;
    private const int RegisterSlots = Decoder.FloatBase + 32;

    // Decoded-code cache: one pinned array of slots (one per halfword) per physical frame.
    private readonly DecodedInst[]?[] _decodedByFrame;
    private readonly List<int> _decodedFrames = new();

    // Whether a frame is in _decodedFrames, so registering one is not a search of the list.
    private readonly bool[] _frameListed;
    private long _codeEpoch;
    // Native so the interpreter can point at it: a straddling instruction is decoded here.
    private readonly DecodedInst* _crossPageScratch;

    // The fetch TLB's entries hold decoded-slot pointers; this parallel array holds the
    // physical page of each, for decoding a slot.
    private readonly ulong* _fetchFrames;

    private volatile int _pendingInterrupts;

    // Guards sleeping in WaitForInterrupt, so a RaiseInterrupt cannot slip in between the
    // check for pending lines and the wait.
    private readonly object _wfiGate = new();

    // LR/SC reservation: the physical address and the value LR saw. SC succeeds only by
    // swapping that value atomically, so another hart's store in between makes it fail.
    private ulong _reservationAddress = NoReservation;
    private ulong _reservationValue;
    private const ulong NoReservation = ulong.MaxValue;

    // Set by the slow paths when an access faults; read as the trap's cause and stval.
    private TrapCause _faultCause;
    private ulong _faultAddress;

    /// <param name="jit">How to run guest code; null for the environment's choice (<see cref="JitOptions.FromEnvironment"/>).</param>
    public Hart(PhysicalMemory memory, int id = 0, ITimeSource? time = null, JitOptions? jit = null)
    {
        _memory = memory;
        _time = time ?? new HostTimeSource();
        Id = id;
        Mmu = new Mmu(memory);
        _regs = (ulong*)CacheLineBlock.Allocate(RegisterSlots * sizeof(ulong));
        _crossPageScratch = (DecodedInst*)CacheLineBlock.Allocate((nuint)sizeof(DecodedInst));
        _fetchFrames = (ulong*)CacheLineBlock.Allocate(Mmu.TlbSize * sizeof(ulong));
        _decodedByFrame = new DecodedInst[]?[memory.FrameCount];
        _frameListed = new bool[memory.FrameCount];
        _codeEpoch = memory.CodeEpoch;
        jit ??= JitOptions.Default;
        if (jit.Mode != JitMode.Off)
        {
            _code = CodeCache.For(memory, jit);
            _code.Attach();
            _jitState = (JitState*)CacheLineBlock.Allocate((nuint)sizeof(JitState));
            _jitState->Regs = _regs;
            _jitState->LoadTlb = Mmu.LoadTlb;
            _jitState->StoreTlb = Mmu.StoreTlb;
            _jumpCache = new JumpEntry[JumpEntry.Count];
            ClearJumpCache(all: true); // a zeroed slot would claim pc 0
        }
    }

    public int Id { get; }

    public Mmu Mmu { get; }

    public PhysicalMemory Memory => _memory;

    public ulong Pc { get; set; }

    /// <summary>Instructions retired since the hart was made (the instret CSR).</summary>
    public ulong Instret { get; private set; }

    /// <summary>The cycle CSR: Osprey counts one cycle per retired instruction.</summary>
    public ulong Cycle => Instret;

    public ITimeSource TimeSource => _time;

    /// <summary>
    /// Run stops (<see cref="TrapCause.BeforeAtomic"/>) before every AMO and load-reserved, so
    /// a deterministic run can preempt there; the next Run executes that instruction first.
    /// </summary>
    public bool StopBeforeAtomics { get; set; }

    // Set by a stop before an atomic: the next atomic (the one stopped at) runs.
    private bool _passAtomic;

    /// <summary>Forgets a stop before an atomic (the hart is about to run a different thread's registers).</summary>
    public void ForgetAtomicStop() => _passAtomic = false;

    /// <summary>Arms the hart to run the atomic at its pc without stopping (the thread being resumed stopped before it).</summary>
    public void PassAtomicOnce() => _passAtomic = true;

    /// <summary>Integer register x<paramref name="index"/>; x0 reads 0 and ignores writes.</summary>
    public ulong this[int index]
    {
        get => index == 0 ? 0 : _regs[CheckRegister(index)];
        set
        {
            if (CheckRegister(index) != 0)
                _regs[index] = value;
        }
    }

    /// <summary>Copies x1..x31 into <paramref name="destination"/>[1..31] (at least 32 long; [0] is left alone), as a kernel saves them on a trap.</summary>
    public void SaveIntegerRegisters(Span<ulong> destination) =>
        new ReadOnlySpan<ulong>(_regs + 1, 31).CopyTo(destination[1..32]);

    /// <summary>Loads x1..x31 from <paramref name="source"/>[1..31]; x0 stays zero whatever source[0] holds.</summary>
    public void LoadIntegerRegisters(ReadOnlySpan<ulong> source) =>
        source[1..32].CopyTo(new Span<ulong>(_regs + 1, 31));

    /// <summary>Sets an interrupt line pending; safe from any thread. Run returns at its next check.</summary>
    public void RaiseInterrupt(InterruptLine line)
    {
        int bit = 1 << (int)line;
        int old;
        do
        {
            old = _pendingInterrupts;
        } while (Interlocked.CompareExchange(ref _pendingInterrupts, old | bit, old) != old);
        lock (_wfiGate)
            Monitor.PulseAll(_wfiGate);
    }

    /// <summary>Clears a pending interrupt line (as the kernel clears sip bits when it handles one).</summary>
    public void ClearInterrupt(InterruptLine line)
    {
        int bit = 1 << (int)line;
        int old;
        do
        {
            old = _pendingInterrupts;
        } while (Interlocked.CompareExchange(ref _pendingInterrupts, old & ~bit, old) != old);
    }

    public bool IsInterruptPending(InterruptLine line) => (_pendingInterrupts & (1 << (int)line)) != 0;

    /// <summary>True when any interrupt line is pending.</summary>
    public bool AnyInterruptPending => _pendingInterrupts != 0;

    /// <summary>
    /// What wfi does: blocks the calling host thread until an interrupt line is pending (at
    /// once if one already is) or the timeout passes. An idle CPU waits here without burning
    /// host CPU; another thread wakes it with <see cref="RaiseInterrupt"/>.
    /// </summary>
    public bool WaitForInterrupt(TimeSpan timeout)
    {
        lock (_wfiGate)
        {
            if (_pendingInterrupts == 0)
                Monitor.Wait(_wfiGate, timeout);
            return _pendingInterrupts != 0;
        }
    }

    /// <summary>Invalidates the LR reservation (the kernel does this on a context switch).</summary>
    public void ClearReservation() => _reservationAddress = NoReservation;

    /// <summary>Drops all decoded instructions, and every translation whose code has changed, as fence.i does.</summary>
    public void FlushCodeCache()
    {
        DropDecodedCode();
        _code?.CheckAll();
    }

    private void DropDecodedCode()
    {
        foreach (int frame in _decodedFrames)
        {
            Array.Clear(_decodedByFrame[frame]!);
            _frameListed[frame] = false;
        }
        _decodedFrames.Clear();
        _codeEpoch = _memory.CodeEpoch;
        for (int i = 0; i < Mmu.TlbSize; i++)
            Mmu.FetchTlb[i].Tag = TlbEntry.Empty;
    }

    private static int CheckRegister(int index) =>
        (uint)index < 32 ? index : throw new ArgumentOutOfRangeException(nameof(index), index, "register index must be 0..31");

    private bool _disposed;

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CacheLineBlock.Free(_regs);
            CacheLineBlock.Free(_crossPageScratch);
            CacheLineBlock.Free(_fetchFrames);
            if (_jitState != null)
                CacheLineBlock.Free(_jitState);
            _code?.Detach();
            Mmu.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    ~Hart() => Dispose();
}
