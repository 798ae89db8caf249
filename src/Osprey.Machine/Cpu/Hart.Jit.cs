using System.Reflection;
using System.Runtime.CompilerServices;
using Osprey.Machine.Jit;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Cpu;

/// <summary>
/// The JIT tier's dispatcher and the helpers translated code calls. Run with the JIT on
/// alternates between the interpreter (which stops at each jump and taken backward branch, so
/// the target can be looked up) and translations, which return here only when they leave
/// translated code: a jump whose target is not translated yet, a trap, or the budget or an
/// interrupt.
/// </summary>
public sealed unsafe partial class Hart
{
    // Members translated code reaches, by reflection, as the emitter writes the IL.
    internal static readonly FieldInfo PendingInterruptsField = PrivateField(nameof(_pendingInterrupts));
    internal static readonly FieldInfo JumpCacheField = PrivateField(nameof(_jumpCache));
    internal static readonly FieldInfo JitChainFromField = PrivateField(nameof(_jitChainFrom));
    internal static readonly FieldInfo FcsrField = PrivateField(nameof(_fcsr));
    internal static readonly MethodInfo JitAtomicMethod = PrivateMethod(nameof(JitAtomic));
    internal static readonly MethodInfo JitStepMethod = PrivateMethod(nameof(JitStep));
    internal static readonly MethodInfo JitFloatMethod = PrivateMethod(nameof(JitFloat));

    private readonly CodeCache? _code;
    private readonly JitState* _jitState;
    private readonly JumpEntry[]? _jumpCache;
    private long _jumpCacheGeneration = -1;

    // Set by a translation that left through an empty chain slot (with JitState.ChainIndex),
    // so the dispatcher can fill the slot once the target has a translation.
    private Translation? _jitChainFrom;

    // The trap an instruction run by JitStep raised.
    private Trap _jitTrap;

    // Where the last Run's ecall returns to (its pc + 4), if it stopped at one: an entry when
    // the next Run starts there.
    private ulong _systemCallReturn = NoSystemCallReturn;
    private const ulong NoSystemCallReturn = ulong.MaxValue;

    /// <summary>How this hart runs guest code.</summary>
    public JitMode JitMode => _code?.Options.Mode ?? JitMode.Off;

    /// <summary>What the code cache this hart uses has done; null with the JIT off.</summary>
    public JitStatistics? JitStatistics => _code?.Statistics;

    private readonly JitCounters _jitCounters = new();

    /// <summary>What this hart's dispatcher has done (a copy); null with the JIT off.</summary>
    public JitCounters? JitCounters => _code == null ? null : _jitCounters.Copy();

    // The dispatcher's methods are compiled fully optimized at once: a run's first hundreds of
    // milliseconds go through them hundreds of thousands of times (every jump before its
    // target is translated), and perf showed their unoptimized first tier, with nothing
    // inlined, among the hottest code of a short program's start.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Trap RunTranslated(long budget)
    {
        _code!.CheckHostWrites();
        if (Mmu.Generation != _jumpCacheGeneration)
        {
            ClearJumpCache();
            _jumpCacheGeneration = Mmu.Generation;
        }
        JitState* s = _jitState;
        long left = budget;
        Trap trap;
        // Whether the pc was reached by a jump: only those are entries, counted towards
        // translation (not the pcs a Run resumes at after a trap or a slice, which can be
        // anywhere), except when forced, where everything that can be translated is. The
        // instruction after an ecall is an entry too when the kernel returns there: it is
        // reached as often as the call is made, and interpreting the way from it to the next
        // jump after every system call made a program that calls the kernel in a loop slower
        // with the JIT than without.
        bool forced = _code.Options.Mode == JitMode.Forced;
        bool jumpedHere = Pc == _systemCallReturn;
        _systemCallReturn = NoSystemCallReturn;
        while (!MustStop(left, out trap))
        {
            Translation? t = FindTranslation(Pc, jumpedHere || forced);
            if (t == null)
            {
                if (!Interpret(ref left, out trap, out jumpedHere))
                    break;
                continue;
            }

            s->LeftAtSync = left;
            s->ChainIndex = -1;
            var exit = (JitExit)t.Code(this, s, Pc, left);
            _jitCounters.Calls++;
            _jitCounters.Exits[(int)exit]++;
            left = s->Left;
            Instret += (ulong)(s->LeftAtSync - left);
            Pc = s->Pc;
            jumpedHere = false;
            switch (exit)
            {
                case JitExit.Continue:
                    jumpedHere = true;
                    if (s->ChainIndex >= 0)
                        FillChain(s->ChainIndex);
                    continue;
                case JitExit.Stop:
                    // An interrupt is taken at the top of the loop; a budget too small for the
                    // next block is used up exactly by the interpreter.
                    if (_pendingInterrupts == 0 && left > 0)
                    {
                        long retired = Execute<RunThrough>(left, out trap);
                        _jitCounters.Interpreted += retired;
                        left -= retired;
                        if (trap.Cause != TrapCause.BudgetExhausted)
                            goto Done;
                    }
                    continue;
                case JitExit.Interpret:
                    if (!Interpret(ref left, out trap, out jumpedHere))
                        goto Done;
                    continue;
                case JitExit.Invalid:
                    _jumpCache![JumpEntry.IndexOf(Pc)].Pc = JumpEntry.Empty;
                    continue;
                case JitExit.Fault:
                    trap = new Trap(_faultCause, Pc, _faultAddress);
                    goto Done;
                case JitExit.Ecall:
                    trap = new Trap(TrapCause.EnvironmentCallFromUser, Pc, 0);
                    goto Done;
                case JitExit.Ebreak:
                    trap = new Trap(TrapCause.Breakpoint, Pc, Pc);
                    goto Done;
                case JitExit.Illegal:
                    trap = new Trap(TrapCause.IllegalInstruction, Pc, s->TrapValue);
                    goto Done;
                default:
                    trap = _jitTrap;
                    goto Done;
            }
        }
    Done:
        Pc = trap.Pc;
        if (trap.Cause == TrapCause.EnvironmentCallFromUser)
            _systemCallReturn = trap.Pc + 4; // ecall has no compressed form
        _reservationAddress = NoReservation;
        return trap;
    }

    /// <summary>
    /// Interprets up to the next jump or taken backward branch (or the interrupt-check interval, or the budget).
    /// False if that trapped; <paramref name="jumped"/> tells whether it stopped at a jump.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Interpret(ref long left, out Trap trap, out bool jumped)
    {
        long count = Math.Min(left, InterruptCheckInterval);
        long retired = Execute<StopAtJumps>(count, out trap);
        _jitCounters.Interpreted += retired;
        left -= retired;
        jumped = retired < count;
        return trap.Cause == TrapCause.BudgetExhausted;
    }

    /// <summary>
    /// The translation to run from <paramref name="pc"/>: from the jump cache, else from the code
    /// cache, which counts an entry reached by a jump (<paramref name="entry"/>) and translates
    /// it once it is hot; null to interpret, which is also how a fetch fault is raised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Translation? FindTranslation(ulong pc, bool entry = true)
    {
        ref JumpEntry slot = ref _jumpCache![JumpEntry.IndexOf(pc)];
        if (slot.Pc == pc)
            return slot.Target;
        if (FetchPage(pc) == null)
            return null;
        ulong pa = _fetchFrames[Mmu.TlbIndex(pc)] + (pc & 0xFFF);
        Translation? t = entry ? _code!.Enter(this, pa, pc) : _code!.Find(pa);
        if (t != null)
        {
            if (slot.Pc == JumpEntry.Empty)
                NoteJumpCacheFill(JumpEntry.IndexOf(pc));
            slot.Pc = pc;
            slot.Target = t;
        }
        return t;
    }

    /// <summary>Points the chain slot a translation left through at the translation for where it went, if there is one yet.</summary>
    private void FillChain(int index)
    {
        Translation from = _jitChainFrom!;
        _jitChainFrom = null;
        Translation? to = FindTranslation(Pc);
        if (to != null && to.Frame == from.Frame && to.Valid)
        {
            from.Chain[index] = to.Code;
            _jitCounters.ChainsFilled++;
        }
    }

    /// <summary>
    /// A bit for each halfword of a frame where this hart has decoded (so run) an instruction
    /// since its decoded code was last dropped; null if it has run none there.
    /// </summary>
    internal ulong[]? ExecutedOffsets(int frame)
    {
        DecodedInst[]? slots = _decodedByFrame[frame];
        if (slots == null || !_frameListed[frame])
            return null;
        var bits = new ulong[SlotsPerPage / 64];
        for (int i = 0; i < SlotsPerPage; i++)
        {
            if (slots[i].Op != Op.NotDecoded)
                bits[i >> 6] |= 1UL << i;
        }
        return bits;
    }

    // The slots filled since the jump cache was last cleared, so that a clear (at every TLB
    // flush: each switch between processes, each sbrk or exec) empties only those. A full
    // clear of all 4,096 slots each time was the hottest code of usertests -q with the JIT on
    // (perf: 7% of its samples), where a process seldom fills more than a few dozen slots
    // between flushes. Past FilledSlotsKept fills the next clear is a full one. Invariant: a
    // slot that is not empty is listed here, unless the count has gone past the list.
    private const int FilledSlotsKept = 256;
    private readonly int[] _filledSlots = new int[FilledSlotsKept];
    private int _filledCount;

    private void NoteJumpCacheFill(int index)
    {
        if (_filledCount < FilledSlotsKept)
            _filledSlots[_filledCount] = index;
        _filledCount++;
    }

    /// <summary>Empties the jump cache: the slots filled since the last clear, or every slot when <paramref name="all"/> or too many were.</summary>
    private void ClearJumpCache(bool all = false)
    {
        if (!all && _filledCount <= FilledSlotsKept)
        {
            for (int i = 0; i < _filledCount; i++)
                _jumpCache![_filledSlots[i]] = new JumpEntry { Pc = JumpEntry.Empty };
        }
        else
        {
            for (int i = 0; i < _jumpCache!.Length; i++)
                _jumpCache[i] = new JumpEntry { Pc = JumpEntry.Empty };
        }
        _filledCount = 0;
    }

    /// <summary>
    /// Runs the one instruction at <paramref name="pc"/> in the interpreter, for translated code
    /// that does not translate it; <paramref name="left"/> is the budget before it. Instret is
    /// brought up to date first, so a CSR read of it is exact. False if it trapped.
    /// </summary>
    private bool JitStep(ulong pc, long left)
    {
        JitState* s = _jitState;
        Instret += (ulong)(s->LeftAtSync - left);
        s->LeftAtSync = left;
        Pc = pc;
        long retired = Execute<RunThrough>(1, out Trap trap);
        s->LeftAtSync -= retired;
        if (retired == 1)
            return true;
        _jitTrap = trap;
        return false;
    }

    /// <summary>
    /// An LR, SC or AMO for translated code: op, rd, rs1 and rs2 packed a byte each. False is
    /// a fault, left through the fault exit at this instruction: a memory fault, or, with
    /// <see cref="StopBeforeAtomics"/>, the stop before an AMO or LR that the interpreter makes
    /// (the same pc, instret and pass-once flag), so a seeded run preempts at the same
    /// instructions under either tier.
    /// </summary>
    private bool JitAtomic(uint packed)
    {
        DecodedInst d = Unpack(packed, 0);
        if (StopBeforeAtomics && d.Op is not (Op.ScW or Op.ScD))
        {
            if (!_passAtomic)
            {
                _passAtomic = true;
                _faultCause = TrapCause.BeforeAtomic;
                _faultAddress = 0;
                return false;
            }
            _passAtomic = false;
        }
        return ExecuteAtomic(&d);
    }

    /// <summary>
    /// An F/D operation or FP CSR access for translated code: packed as for an atomic, with the
    /// instruction's bits as the decoder leaves them in Imm. False when its rounding mode is
    /// invalid (an illegal instruction).
    /// </summary>
    private bool JitFloat(uint packed, int bits)
    {
        DecodedInst d = Unpack(packed, bits);
        if (d.Op == Op.CsrFloat)
        {
            AccessFloatCsr(&d);
            return true;
        }
        return ExecuteFloat(&d);
    }

    private static DecodedInst Unpack(uint packed, int imm) => new()
    {
        Op = (Op)(byte)packed,
        Rd = (byte)(packed >> 8),
        Rs1 = (byte)(packed >> 16),
        Rs2 = (byte)(packed >> 24),
        Imm = imm,
        Length = 4,
    };

    private static FieldInfo PrivateField(string name) =>
        typeof(Hart).GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(Hart), name);

    private static MethodInfo PrivateMethod(string name) =>
        typeof(Hart).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingMethodException(nameof(Hart), name);
}
