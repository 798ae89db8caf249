using System.Runtime.CompilerServices;
using System.Threading;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Cpu;

public sealed unsafe partial class Hart
{
    /// <summary>
    /// Runs at most <paramref name="budget"/> instructions from <see cref="Pc"/> and returns why
    /// it stopped. On return <see cref="Pc"/> equals the trap's pc. Any LR reservation is
    /// dropped when Run returns, so an LR/SC sequence interrupted by the kernel fails its SC.
    /// </summary>
    public Trap Run(long budget)
    {
        if (_memory.CodeEpoch != _codeEpoch)
            DropDecodedCode();
        if (_code != null)
            return RunTranslated(budget);

        Trap trap;
        long remaining = budget;
        while (!MustStop(remaining, out trap))
        {
            long slice = Math.Min(remaining, InterruptCheckInterval);
            long executed = Execute<RunThrough>(slice, out trap);
            remaining -= executed;
            if (trap.Cause != TrapCause.BudgetExhausted)
                break;
        }
        _reservationAddress = NoReservation;
        return trap;
    }

    /// <summary>Whether Run must return now, with a pending interrupt or the budget used up (the trap says which).</summary>
    private bool MustStop(long left, out Trap trap)
    {
        int pending = _pendingInterrupts;
        if (pending != 0)
        {
            trap = new Trap(TrapCause.Interrupt, Pc, (ulong)HighestPriority(pending));
            return true;
        }
        if (left <= 0)
        {
            trap = new Trap(TrapCause.BudgetExhausted, Pc, 0);
            return true;
        }
        trap = default;
        return false;
    }

    // The privileged specification's priority among supervisor interrupts: external, software, timer.
    private static InterruptLine HighestPriority(int pending) =>
        (pending & (1 << (int)InterruptLine.External)) != 0 ? InterruptLine.External
        : (pending & (1 << (int)InterruptLine.Software)) != 0 ? InterruptLine.Software
        : InterruptLine.Timer;

    /// <summary>
    /// The interpreter loop: runs up to <paramref name="count"/> instructions and returns how
    /// many retired. <paramref name="trap"/> is BudgetExhausted if all of them did, or (with
    /// <see cref="StopAtJumps"/>) if it stopped after a jump or a taken backward branch so the
    /// JIT's dispatcher can look for a translation of the target. The mode is a type argument, so
    /// the .NET JIT compiles each mode separately and the interpreter alone pays nothing for it.
    /// </summary>
    private long Execute<TMode>(long count, out Trap trap) where TMode : struct, IInterpreterMode
    {
        ulong* x = _regs;
        ulong pc = Pc;
        long left = count;
        // The first page is looked up here rather than by giving pageBase a sentinel: the
        // loop's range check would take any pc within a page above the sentinel for that
        // page (programs linked at 0 resume at such pcs after every ecall).
        DecodedInst* page = FetchPage(pc);
        ulong pageBase = pc & ~0xFFFUL;
        if (page == null)
            goto Fault;
        DecodedInst* d;
        TlbEntry* loadTlb = Mmu.LoadTlb;
        TlbEntry* storeTlb = Mmu.StoreTlb;

        while (left > 0)
        {
            if (pc - pageBase >= PhysicalMemory.PageSize)
            {
                page = FetchPage(pc);
                if (page == null)
                    goto Fault;
                pageBase = pc & ~0xFFFUL;
            }
            d = page + ((pc & 0xFFF) >> 1);

        Dispatch:
            switch (d->Op)
            {
                case Op.NotDecoded:
                    DecodeSlot(d, pc);
                    goto Dispatch;

                case Op.CrossPage:
                    d = DecodeCrossPage(pc);
                    if (d == null)
                        goto Fault;
                    goto Dispatch;

                case Op.Illegal:
                    trap = new Trap(TrapCause.IllegalInstruction, pc, (uint)d->Imm);
                    goto Stop;

                case Op.Lui: x[d->Rd] = (ulong)(long)d->Imm; break;
                case Op.Auipc: x[d->Rd] = pc + (ulong)(long)d->Imm; break;
                case Op.Jal:
                    x[d->Rd] = pc + d->Length;
                    pc += (ulong)(long)d->Imm;
                    left--;
                    if (TMode.StopAtJumps)
                        goto Jumped;
                    continue;
                case Op.Jalr:
                    {
                        ulong target = (x[d->Rs1] + (ulong)(long)d->Imm) & ~1UL;
                        x[d->Rd] = pc + d->Length;
                        pc = target;
                        left--;
                        if (TMode.StopAtJumps)
                            goto Jumped;
                        continue;
                    }

                case Op.Beq: if (x[d->Rs1] == x[d->Rs2]) goto Taken; break;
                case Op.Bne: if (x[d->Rs1] != x[d->Rs2]) goto Taken; break;
                case Op.Blt: if ((long)x[d->Rs1] < (long)x[d->Rs2]) goto Taken; break;
                case Op.Bge: if ((long)x[d->Rs1] >= (long)x[d->Rs2]) goto Taken; break;
                case Op.Bltu: if (x[d->Rs1] < x[d->Rs2]) goto Taken; break;
                case Op.Bgeu: if (x[d->Rs1] >= x[d->Rs2]) goto Taken; break;

                case Op.Lb:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFFUL)) x[d->Rd] = (ulong)(long)*(sbyte*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 1, out ulong v)) x[d->Rd] = (ulong)(long)(sbyte)v;
                        else goto Fault;
                        break;
                    }
                case Op.Lbu:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFFUL)) x[d->Rd] = *(byte*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 1, out ulong v)) x[d->Rd] = v;
                        else goto Fault;
                        break;
                    }
                case Op.Lh:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFEUL)) x[d->Rd] = (ulong)(long)*(short*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 2, out ulong v)) x[d->Rd] = (ulong)(long)(short)v;
                        else goto Fault;
                        break;
                    }
                case Op.Lhu:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFEUL)) x[d->Rd] = *(ushort*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 2, out ulong v)) x[d->Rd] = v;
                        else goto Fault;
                        break;
                    }
                case Op.Lw:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFCUL)) x[d->Rd] = (ulong)(long)*(int*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 4, out ulong v)) x[d->Rd] = (ulong)(long)(int)v;
                        else goto Fault;
                        break;
                    }
                case Op.Lwu:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFCUL)) x[d->Rd] = *(uint*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 4, out ulong v)) x[d->Rd] = v;
                        else goto Fault;
                        break;
                    }
                case Op.Ld:
                case Op.Fld:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFF8UL)) x[d->Rd] = *(ulong*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 8, out ulong v)) x[d->Rd] = v;
                        else goto Fault;
                        break;
                    }

                case Op.Flw:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = loadTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFCUL)) x[d->Rd] = 0xFFFF_FFFF_0000_0000UL | *(uint*)(va + (ulong)e->Addend);
                        else if (LoadSlow(va, 4, out ulong v)) x[d->Rd] = 0xFFFF_FFFF_0000_0000UL | v;
                        else goto Fault;
                        break;
                    }

                case Op.Sb:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = storeTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFFUL)) *(byte*)(va + (ulong)e->Addend) = (byte)x[d->Rs2];
                        else if (!StoreSlow(va, 1, x[d->Rs2])) goto Fault;
                        break;
                    }
                case Op.Sh:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = storeTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFEUL)) *(ushort*)(va + (ulong)e->Addend) = (ushort)x[d->Rs2];
                        else if (!StoreSlow(va, 2, x[d->Rs2])) goto Fault;
                        break;
                    }
                case Op.Sw:
                case Op.Fsw:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = storeTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFFCUL)) *(uint*)(va + (ulong)e->Addend) = (uint)x[d->Rs2];
                        else if (!StoreSlow(va, 4, x[d->Rs2])) goto Fault;
                        break;
                    }
                case Op.Sd:
                case Op.Fsd:
                    {
                        ulong va = x[d->Rs1] + (ulong)(long)d->Imm;
                        TlbEntry* e = storeTlb + Mmu.TlbIndex(va);
                        if (e->Tag == (va & ~0xFF8UL)) *(ulong*)(va + (ulong)e->Addend) = x[d->Rs2];
                        else if (!StoreSlow(va, 8, x[d->Rs2])) goto Fault;
                        break;
                    }

                case Op.Addi: x[d->Rd] = x[d->Rs1] + (ulong)(long)d->Imm; break;
                case Op.Slti: x[d->Rd] = (long)x[d->Rs1] < d->Imm ? 1UL : 0; break;
                case Op.Sltiu: x[d->Rd] = x[d->Rs1] < (ulong)(long)d->Imm ? 1UL : 0; break;
                case Op.Xori: x[d->Rd] = x[d->Rs1] ^ (ulong)(long)d->Imm; break;
                case Op.Ori: x[d->Rd] = x[d->Rs1] | (ulong)(long)d->Imm; break;
                case Op.Andi: x[d->Rd] = x[d->Rs1] & (ulong)(long)d->Imm; break;
                case Op.Slli: x[d->Rd] = x[d->Rs1] << d->Imm; break;
                case Op.Srli: x[d->Rd] = x[d->Rs1] >> d->Imm; break;
                case Op.Srai: x[d->Rd] = (ulong)((long)x[d->Rs1] >> d->Imm); break;

                case Op.Add: x[d->Rd] = x[d->Rs1] + x[d->Rs2]; break;
                case Op.Sub: x[d->Rd] = x[d->Rs1] - x[d->Rs2]; break;
                case Op.Sll: x[d->Rd] = x[d->Rs1] << (int)(x[d->Rs2] & 63); break;
                case Op.Slt: x[d->Rd] = (long)x[d->Rs1] < (long)x[d->Rs2] ? 1UL : 0; break;
                case Op.Sltu: x[d->Rd] = x[d->Rs1] < x[d->Rs2] ? 1UL : 0; break;
                case Op.Xor: x[d->Rd] = x[d->Rs1] ^ x[d->Rs2]; break;
                case Op.Srl: x[d->Rd] = x[d->Rs1] >> (int)(x[d->Rs2] & 63); break;
                case Op.Sra: x[d->Rd] = (ulong)((long)x[d->Rs1] >> (int)(x[d->Rs2] & 63)); break;
                case Op.Or: x[d->Rd] = x[d->Rs1] | x[d->Rs2]; break;
                case Op.And: x[d->Rd] = x[d->Rs1] & x[d->Rs2]; break;

                case Op.Addiw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] + (uint)d->Imm); break;
                case Op.Slliw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] << d->Imm); break;
                case Op.Srliw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] >> d->Imm); break;
                case Op.Sraiw: x[d->Rd] = (ulong)(long)((int)x[d->Rs1] >> d->Imm); break;
                case Op.Addw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] + (uint)x[d->Rs2]); break;
                case Op.Subw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] - (uint)x[d->Rs2]); break;
                case Op.Sllw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] << (int)(x[d->Rs2] & 31)); break;
                case Op.Srlw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] >> (int)(x[d->Rs2] & 31)); break;
                case Op.Sraw: x[d->Rd] = (ulong)(long)((int)x[d->Rs1] >> (int)(x[d->Rs2] & 31)); break;

                case Op.Mul: x[d->Rd] = x[d->Rs1] * x[d->Rs2]; break;
                case Op.Mulh: x[d->Rd] = (ulong)Math.BigMul((long)x[d->Rs1], (long)x[d->Rs2], out _); break;
                case Op.Mulhu: x[d->Rd] = Math.BigMul(x[d->Rs1], x[d->Rs2], out _); break;
                case Op.Mulhsu: x[d->Rd] = Arithmetic.MulHighSignedUnsigned(x[d->Rs1], x[d->Rs2]); break;
                case Op.Div: x[d->Rd] = Arithmetic.Div(x[d->Rs1], x[d->Rs2]); break;
                case Op.Divu: x[d->Rd] = Arithmetic.Divu(x[d->Rs1], x[d->Rs2]); break;
                case Op.Rem: x[d->Rd] = Arithmetic.Rem(x[d->Rs1], x[d->Rs2]); break;
                case Op.Remu: x[d->Rd] = Arithmetic.Remu(x[d->Rs1], x[d->Rs2]); break;
                case Op.Mulw: x[d->Rd] = (ulong)(long)(int)((uint)x[d->Rs1] * (uint)x[d->Rs2]); break;
                case Op.Divw: x[d->Rd] = Arithmetic.Divw(x[d->Rs1], x[d->Rs2]); break;
                case Op.Divuw: x[d->Rd] = Arithmetic.Divuw(x[d->Rs1], x[d->Rs2]); break;
                case Op.Remw: x[d->Rd] = Arithmetic.Remw(x[d->Rs1], x[d->Rs2]); break;
                case Op.Remuw: x[d->Rd] = Arithmetic.Remuw(x[d->Rs1], x[d->Rs2]); break;

                case Op.LrW: case Op.LrD:
                case Op.AmoSwapW: case Op.AmoAddW: case Op.AmoXorW: case Op.AmoAndW: case Op.AmoOrW:
                case Op.AmoMinW: case Op.AmoMaxW: case Op.AmoMinuW: case Op.AmoMaxuW:
                case Op.AmoSwapD: case Op.AmoAddD: case Op.AmoXorD: case Op.AmoAndD: case Op.AmoOrD:
                case Op.AmoMinD: case Op.AmoMaxD: case Op.AmoMinuD: case Op.AmoMaxuD:
                    if (StopBeforeAtomics)
                    {
                        if (!_passAtomic)
                        {
                            trap = new Trap(TrapCause.BeforeAtomic, pc, 0);
                            _passAtomic = true;
                            goto Stop;
                        }
                        _passAtomic = false;
                    }
                    if (!ExecuteAtomic(d))
                        goto Fault;
                    break;
                case Op.ScW: case Op.ScD:
                    // Never a stop: Run drops the reservation, so an SC after one would always fail.
                    if (!ExecuteAtomic(d))
                        goto Fault;
                    break;

                case Op.Fence:
                    Interlocked.MemoryBarrier();
                    break;
                case Op.FenceI:
                    Interlocked.MemoryBarrier();
                    pc += d->Length; // before the flush, which clears the slot d points at
                    FlushCodeCache();
                    left--;
                    // The flush cleared this page's slots and forgot the page: look it up again.
                    page = FetchPage(pc);
                    if (page == null)
                        goto Fault;
                    pageBase = pc & ~0xFFFUL;
                    continue;

                case Op.Ecall:
                    trap = new Trap(TrapCause.EnvironmentCallFromUser, pc, 0);
                    goto Stop;
                case Op.Ebreak:
                    trap = new Trap(TrapCause.Breakpoint, pc, pc);
                    goto Stop;

                case Op.CsrRead:
                    x[d->Rd] = d->Imm switch
                    {
                        Decoder.CsrTime => _time.Now,
                        _ => Instret + (ulong)(count - left),
                    };
                    break;

                case Op.CsrFloat:
                    AccessFloatCsr(d);
                    break;

                case Op.FmaddS: case Op.FmsubS: case Op.FnmsubS: case Op.FnmaddS:
                case Op.FaddS: case Op.FsubS: case Op.FmulS: case Op.FdivS: case Op.FsqrtS:
                case Op.FcvtWS: case Op.FcvtWuS: case Op.FcvtLS: case Op.FcvtLuS:
                case Op.FcvtSW: case Op.FcvtSWu: case Op.FcvtSL: case Op.FcvtSLu:
                case Op.FmaddD: case Op.FmsubD: case Op.FnmsubD: case Op.FnmaddD:
                case Op.FaddD: case Op.FsubD: case Op.FmulD: case Op.FdivD: case Op.FsqrtD:
                case Op.FcvtWD: case Op.FcvtWuD: case Op.FcvtLD: case Op.FcvtLuD:
                case Op.FcvtDW: case Op.FcvtDWu: case Op.FcvtDL: case Op.FcvtDLu:
                case Op.FcvtSD: case Op.FcvtDS:
                case Op.FsgnjS: case Op.FsgnjnS: case Op.FsgnjxS: case Op.FminS: case Op.FmaxS:
                case Op.FeqS: case Op.FltS: case Op.FleS: case Op.FclassS: case Op.FmvXW: case Op.FmvWX:
                case Op.FsgnjD: case Op.FsgnjnD: case Op.FsgnjxD: case Op.FminD: case Op.FmaxD:
                case Op.FeqD: case Op.FltD: case Op.FleD: case Op.FclassD: case Op.FmvXD: case Op.FmvDX:
                    if (!ExecuteFloat(d))
                    {
                        // A dynamic rounding mode while frm holds an invalid one.
                        trap = new Trap(TrapCause.IllegalInstruction, pc, (uint)d->Imm);
                        goto Stop;
                    }
                    break;

                default:
                    throw new InvalidOperationException($"hart {Id}: no case for decoded op {d->Op} at pc 0x{pc:x}");
            }
            pc += d->Length;
            left--;
            continue;

        Taken:
            pc += (ulong)(long)d->Imm;
            left--;
            // Only a branch back can start a loop; code a forward branch reaches is entered
            // from somewhere a loop or a call already leads to.
            if (TMode.StopAtJumps && d->Imm < 0)
                goto Jumped;
        }

    Jumped:
        trap = new Trap(TrapCause.BudgetExhausted, pc, 0);
        goto Stop;

    Fault:
        trap = new Trap(_faultCause, pc, _faultAddress);

    Stop:
        Pc = pc;
        long retired = count - left;
        Instret += (ulong)retired;
        return retired;
    }

    /// <summary>The decoded slots of the page holding <paramref name="pc"/>, or null on a fetch fault.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecodedInst* FetchPage(ulong pc)
    {
        TlbEntry* e = Mmu.FetchTlb + Mmu.TlbIndex(pc);
        if (e->Tag == (pc & ~0xFFFUL))
            return (DecodedInst*)e->Addend;
        if (!Mmu.TryTranslate(pc, AccessType.Fetch, out ulong pa, out TrapCause cause))
        {
            _faultCause = cause;
            _faultAddress = pc;
            return null;
        }
        DecodedInst* slots = SlotsForFrame(pa);
        e->Tag = pc & ~0xFFFUL;
        e->Addend = (long)slots;
        _fetchFrames[Mmu.TlbIndex(pc)] = pa & ~0xFFFUL;
        return slots;
    }

    private DecodedInst* SlotsForFrame(ulong pa)
    {
        int frame = (int)((pa - PhysicalMemory.Base) >> PhysicalMemory.PageShift);
        DecodedInst[]? slots = _decodedByFrame[frame];
        if (slots == null)
        {
            slots = GC.AllocateArray<DecodedInst>(SlotsPerPage, pinned: true);
            _decodedByFrame[frame] = slots;
        }
        if (!_frameListed[frame])
        {
            _frameListed[frame] = true;
            _decodedFrames.Add(frame);
            _memory.MarkCodeFrame(pa);
        }
        return (DecodedInst*)Unsafe.AsPointer(ref slots[0]);
    }

    /// <summary>Decodes the instruction at <paramref name="pc"/> into its slot, on the page FetchPage found.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DecodeSlot(DecodedInst* slot, ulong pc)
    {
        // The page translated for fetch when FetchPage found it, so reading within it cannot
        // fault; only a 32-bit instruction whose upper half is on the next page (CrossPage) can.
        ulong pa = _fetchFrames[Mmu.TlbIndex(pc)] + (pc & 0xFFF);
        ushort low = *(ushort*)_memory.Pointer(pa);
        if (Decoder.IsCompressed(low))
            *slot = Decoder.Decode(low);
        else if ((pc & 0xFFF) == 0xFFE)
            *slot = new DecodedInst { Op = Op.CrossPage, Length = 4 };
        else
            *slot = Decoder.Decode(*(uint*)_memory.Pointer(pa));
    }

    /// <summary>A 32-bit instruction straddling two pages: fetched and decoded afresh each time, never cached.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecodedInst* DecodeCrossPage(ulong pc)
    {
        if (!Mmu.TryTranslate(pc, AccessType.Fetch, out ulong paLow, out TrapCause cause))
        {
            _faultCause = cause;
            _faultAddress = pc;
            return null;
        }
        if (!Mmu.TryTranslate(pc + 2, AccessType.Fetch, out ulong paHigh, out cause))
        {
            _faultCause = cause;
            _faultAddress = pc + 2;
            return null;
        }
        uint bits = *(ushort*)_memory.Pointer(paLow) | ((uint)*(ushort*)_memory.Pointer(paHigh) << 16);
        *_crossPageScratch = Decoder.Decode(bits);
        return _crossPageScratch;
    }
}
