using System.Runtime.CompilerServices;
using System.Threading;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Cpu;

public sealed unsafe partial class Hart
{
    /// <summary>
    /// A load the TLB fast path could not do: a TLB miss, a misaligned address (performed, as
    /// the specification allows) or one that crosses into the next page. False on a fault,
    /// with the cause and address recorded for the trap.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool LoadSlow(ulong va, int size, out ulong value)
    {
        value = 0;
        if ((va & 0xFFF) + (ulong)size <= PhysicalMemory.PageSize)
        {
            if (!Translate(va, AccessType.Load, out ulong pa))
                return false;
            value = ReadHost(_memory.Pointer(pa), size);
            return true;
        }
        // Straddles two pages: both must be readable before any byte is read.
        ulong second = (va | 0xFFF) + 1;
        if (!Translate(va, AccessType.Load, out ulong pa0) || !Translate(second, AccessType.Load, out ulong pa1))
            return false;
        for (int i = 0; i < size; i++)
        {
            ulong a = va + (ulong)i;
            byte* p = a < second ? _memory.Pointer(pa0 + (a - va)) : _memory.Pointer(pa1 + (a - second));
            value |= (ulong)*p << (8 * i);
        }
        return true;
    }

    /// <summary>The store counterpart of <see cref="LoadSlow"/>; nothing is written unless all of it can be.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool StoreSlow(ulong va, int size, ulong value)
    {
        if ((va & 0xFFF) + (ulong)size <= PhysicalMemory.PageSize)
        {
            if (!Translate(va, AccessType.Store, out ulong pa))
                return false;
            WriteHost(_memory.Pointer(pa), size, value);
            return true;
        }
        ulong second = (va | 0xFFF) + 1;
        if (!Translate(va, AccessType.Store, out ulong pa0) || !Translate(second, AccessType.Store, out ulong pa1))
            return false;
        for (int i = 0; i < size; i++)
        {
            ulong a = va + (ulong)i;
            byte* p = a < second ? _memory.Pointer(pa0 + (a - va)) : _memory.Pointer(pa1 + (a - second));
            *p = (byte)(value >> (8 * i));
        }
        return true;
    }

    private bool Translate(ulong va, AccessType access, out ulong pa)
    {
        if (Mmu.TranslateAndFill(va, access, out pa, out TrapCause cause))
            return true;
        _faultCause = cause;
        _faultAddress = va;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadHost(byte* p, int size) => size switch
    {
        1 => *p,
        2 => Unsafe.ReadUnaligned<ushort>(p),
        4 => Unsafe.ReadUnaligned<uint>(p),
        _ => Unsafe.ReadUnaligned<ulong>(p),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHost(byte* p, int size, ulong value)
    {
        switch (size)
        {
            case 1: *p = (byte)value; break;
            case 2: Unsafe.WriteUnaligned(p, (ushort)value); break;
            case 4: Unsafe.WriteUnaligned(p, (uint)value); break;
            default: Unsafe.WriteUnaligned(p, value); break;
        }
    }

    /// <summary>
    /// LR, SC and the AMOs. Each is a real host atomic on guest memory, so harts on other host
    /// threads see them as atomic; each is also a full fence, which satisfies any aq/rl bits.
    /// They need natural alignment (else an address-misaligned trap) and, except LR, write
    /// permission, so an AMO on a read-only page is a store page fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ExecuteAtomic(DecodedInst* d)
    {
        Op op = d->Op;
        bool word = op <= Op.AmoMaxuW;
        int size = word ? 4 : 8;
        bool isLoadReserved = op is Op.LrW or Op.LrD;
        ulong va = _regs[d->Rs1];
        if ((va & (ulong)(size - 1)) != 0)
        {
            _faultCause = isLoadReserved ? TrapCause.LoadAddressMisaligned : TrapCause.StoreAddressMisaligned;
            _faultAddress = va;
            return false;
        }
        if (!Translate(va, isLoadReserved ? AccessType.Load : AccessType.Store, out ulong pa))
            return false;
        byte* p = _memory.Pointer(pa);
        ulong src = _regs[d->Rs2];
        ulong result;

        switch (op)
        {
            case Op.LrW:
            case Op.LrD:
                _reservationValue = word ? Volatile.Read(ref *(uint*)p) : Volatile.Read(ref *(ulong*)p);
                _reservationAddress = pa;
                result = word ? (ulong)(long)(int)_reservationValue : _reservationValue;
                break;
            case Op.ScW:
            case Op.ScD:
                result = StoreConditional(p, pa, word, src) ? 0UL : 1UL;
                break;
            default:
                result = word ? (ulong)(long)AmoWord(op, (int*)p, (int)src) : AmoDouble(op, (long*)p, (long)src);
                break;
        }
        _regs[d->Rd] = result;
        return true;
    }

    private bool StoreConditional(byte* p, ulong pa, bool word, ulong src)
    {
        bool reserved = _reservationAddress == pa;
        _reservationAddress = NoReservation;
        if (!reserved)
            return false;
        if (word)
        {
            uint expected = (uint)_reservationValue;
            return Interlocked.CompareExchange(ref *(uint*)p, (uint)src, expected) == expected;
        }
        return Interlocked.CompareExchange(ref *(ulong*)p, src, _reservationValue) == _reservationValue;
    }

    /// <summary>Performs a 32-bit AMO and returns the old value.</summary>
    private static int AmoWord(Op op, int* p, int v)
    {
        switch (op)
        {
            case Op.AmoSwapW: return Interlocked.Exchange(ref *p, v);
            case Op.AmoAddW: return Interlocked.Add(ref *p, v) - v;
            case Op.AmoAndW: return Interlocked.And(ref *p, v);
            case Op.AmoOrW: return Interlocked.Or(ref *p, v);
        }
        while (true)
        {
            int old = Volatile.Read(ref *p);
            int value = op switch
            {
                Op.AmoXorW => old ^ v,
                Op.AmoMinW => Math.Min(old, v),
                Op.AmoMaxW => Math.Max(old, v),
                Op.AmoMinuW => (int)Math.Min((uint)old, (uint)v),
                _ => (int)Math.Max((uint)old, (uint)v),
            };
            if (Interlocked.CompareExchange(ref *p, value, old) == old)
                return old;
        }
    }

    /// <summary>Performs a 64-bit AMO and returns the old value.</summary>
    private static ulong AmoDouble(Op op, long* p, long v)
    {
        switch (op)
        {
            case Op.AmoSwapD: return (ulong)Interlocked.Exchange(ref *p, v);
            case Op.AmoAddD: return (ulong)(Interlocked.Add(ref *p, v) - v);
            case Op.AmoAndD: return (ulong)Interlocked.And(ref *p, v);
            case Op.AmoOrD: return (ulong)Interlocked.Or(ref *p, v);
        }
        while (true)
        {
            long old = Volatile.Read(ref *p);
            long value = op switch
            {
                Op.AmoXorD => old ^ v,
                Op.AmoMinD => Math.Min(old, v),
                Op.AmoMaxD => Math.Max(old, v),
                Op.AmoMinuD => (long)Math.Min((ulong)old, (ulong)v),
                _ => (long)Math.Max((ulong)old, (ulong)v),
            };
            if (Interlocked.CompareExchange(ref *p, value, old) == old)
                return (ulong)old;
        }
    }
}
