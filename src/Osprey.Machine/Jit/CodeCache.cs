using System.Diagnostics;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Machine.Jit;

/// <summary>
/// The translations of one machine's guest code, by physical frame and offset, shared by the
/// harts that run on one <see cref="PhysicalMemory"/> (or private to one hart, by option).
///
/// Concurrency: lookups read <see cref="FrameCode.Entries"/> without a lock; copying a frame
/// for a compile, installing its result and invalidating take <c>_gate</c> (the compile itself
/// runs outside it, on the copy). Hot entries are compiled by a background
/// thread (a thread-pool item that runs while its queue is not empty), so harts keep
/// interpreting meanwhile; lock order is <c>_queue</c> before <c>_gate</c>. Translations are
/// immutable once installed except for their chain slots and <see cref="Translation.Valid"/>;
/// a hart already running a translation that another invalidates finishes the block it is in
/// (as a hart that has not yet executed fence.i may).
///
/// Invalidation: the unit is the frame. Its bytes are copied when its first translation is
/// made; on fence.i every frame is compared with its copy, and after the host writes to a frame
/// that holds code (<see cref="PhysicalMemory.CodeEpoch"/>) that frame is; a frame whose bytes
/// changed loses all its translations, which also breaks every chain into them, since chains
/// never leave a frame. Identical bytes (a program loaded again into the frames it had) keep
/// their translations.
/// </summary>
internal sealed unsafe class CodeCache
{
    private static readonly ConditionalWeakTable<PhysicalMemory, CodeCache> Shared = new();

    private readonly PhysicalMemory _memory;
    private readonly FrameCode?[] _frames;
    private readonly List<FrameCode> _translated = new();
    private readonly object _gate = new();
    private readonly JitState* _dryRun;

    // Entries waiting for the background compiler; the lock also guards the flags with it and
    // _compiles, the background compiles finished (each request notes it when queued).
    private readonly List<CompileRequest> _queue = new();
    private long _compiles;
    private bool _workerRunning, _closed;
    private int _users;
    private long _seenEpoch;

    // Statistics, under _gate.
    private long _blocks, _instructions, _ilBytes, _compileTicks, _invalidated;

    private CodeCache(PhysicalMemory memory, JitOptions options)
    {
        _memory = memory;
        Options = options;
        Threshold = options.EffectiveThreshold;
        _frames = new FrameCode?[memory.FrameCount];
        _dryRun = (JitState*)NativeMemory.AllocZeroed((nuint)sizeof(JitState));
        _seenEpoch = memory.CodeEpoch;
    }

    ~CodeCache() => NativeMemory.Free(_dryRun);

    /// <summary>The cache a hart with <paramref name="options"/> on <paramref name="memory"/> uses.</summary>
    public static CodeCache For(PhysicalMemory memory, JitOptions options) =>
        options.SharedCache ? Shared.GetValue(memory, m => new CodeCache(m, options)) : new CodeCache(memory, options);

    public JitOptions Options { get; }

    public int Threshold { get; }

    public JitStatistics Statistics
    {
        get
        {
            lock (_gate)
                return new JitStatistics(_blocks, _instructions, _ilBytes, TimeSpan.FromSeconds((double)_compileTicks / Stopwatch.Frequency), _invalidated);
        }
    }

    /// <summary>A hart starts using this cache.</summary>
    public void Attach()
    {
        lock (_queue)
        {
            _users++;
            _closed = false;
        }
    }

    /// <summary>
    /// A hart is done with this cache; when the last one is, queued compiles are dropped and a
    /// frame copy in progress is waited for, so nothing reads guest memory after its owner frees it.
    /// </summary>
    public void Detach()
    {
        lock (_queue)
        {
            if (--_users > 0)
                return;
            _closed = true;
            _queue.Clear();
        }
        lock (_gate)
        {
        }
    }

    /// <summary>The translation that starts at <paramref name="pa"/>, if there is one; counts nothing.</summary>
    public Translation? Find(ulong pa)
    {
        FrameCode? code = Volatile.Read(ref _frames[(int)((pa - PhysicalMemory.Base) >> PhysicalMemory.PageShift)]);
        return code == null ? null : Volatile.Read(ref code.Entries[(int)(pa & (PhysicalMemory.PageSize - 1)) >> 1]);
    }

    /// <summary>
    /// The translation to run for a jump to <paramref name="pc"/>, whose physical address is
    /// <paramref name="pa"/>, if there is one. An entry reached often enough is translated: at
    /// once in <see cref="JitMode.Forced"/>, otherwise on a background thread while this hart
    /// goes on interpreting, so a hart never waits for the .NET JIT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Translation? Enter(Hart hart, ulong pa, ulong pc)
    {
        int frame = (int)((pa - PhysicalMemory.Base) >> PhysicalMemory.PageShift);
        int slot = (int)(pa & (PhysicalMemory.PageSize - 1)) >> 1;
        FrameCode? code = Volatile.Read(ref _frames[frame]);
        if (code != null)
        {
            Translation? t = Volatile.Read(ref code.Entries[slot]);
            if (t != null)
                return t;
        }
        else
        {
            code = new FrameCode(frame);
            code = Interlocked.CompareExchange(ref _frames[frame], code, null) ?? code;
        }
        if (++code.Heat[slot] < Threshold)
            return null;
        bool forced = Options.Mode == JitMode.Forced;
        if (forced)
        {
            return Compile(new CompileRequest(code, slot * 2, pc & ~(ulong)(PhysicalMemory.PageSize - 1), null, 0));
        }
        code.Heat[slot] = FrameCode.Queued;
        lock (_queue)
        {
            if (_closed)
                return null;
            _queue.Add(new CompileRequest(code, slot * 2, pc & ~(ulong)(PhysicalMemory.PageSize - 1), hart.ExecutedOffsets(frame), _compiles));
            if (!_workerRunning)
            {
                _workerRunning = true;
                ThreadPool.UnsafeQueueUserWorkItem(static cache => cache.CompileQueued(), this, preferLocal: false);
            }
        }
        return null;
    }

    /// <summary>
    /// An entry to translate. <paramref name="Executed"/> has a bit for each halfword of the frame
    /// where an instruction has run (null when none is known yet, as when forced): the region
    /// grows over code that has run and only a little past it, so cold paths cost little
    /// compile time and leave by an exit.
    /// <paramref name="QueuedAfter"/> is how many background compiles had finished when it was queued.
    /// </summary>
    private readonly record struct CompileRequest(FrameCode Code, int Offset, ulong Page, ulong[]? Executed, long QueuedAfter);

    /// <summary>The background compiler: runs until the queue is empty.</summary>
    private void CompileQueued()
    {
        while (true)
        {
            CompileRequest request;
            lock (_queue)
            {
                if (_closed || !TakeWanted(out request))
                {
                    _workerRunning = false;
                    return;
                }
            }
            Compile(request);
            lock (_queue)
                _compiles++;
        }
    }

    /// <summary>
    /// The queued entry the dispatcher has come to most often since it was queued (its heat
    /// goes on counting up from <see cref="FrameCode.Queued"/>). One that has waited behind
    /// another compile without being entered once is dropped, its heat back to zero: a
    /// translation made meanwhile covers it (the inner loop whose translation holds the outer
    /// loop's head), so compiling it would cost as much as a needed block and never run. It is
    /// queued again if the dispatcher comes back to it. Under _queue.
    /// </summary>
    private bool TakeWanted(out CompileRequest request)
    {
        int best = -1, bestVisits = -1;
        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            CompileRequest r = _queue[i];
            int visits = r.Code.Heat[r.Offset >> 1] - FrameCode.Queued;
            if (visits == 0 && r.QueuedAfter < _compiles)
            {
                r.Code.Heat[r.Offset >> 1] = 0;
                _queue.RemoveAt(i);
                if (best > i)
                    best--;
                continue;
            }
            if (visits >= bestVisits)
            {
                best = i;
                bestVisits = visits;
            }
        }
        if (best < 0)
        {
            request = default;
            return false;
        }
        request = _queue[best];
        _queue.RemoveAt(best);
        return true;
    }

    /// <summary>
    /// Translates one entry from a copy of its frame taken now, so the code and the copy it is
    /// later checked against are the same bytes even if the frame is being written meanwhile.
    /// Only the copy and the install take _gate: the region, the IL and the .NET JIT work from
    /// the copy alone, so a hart that must check its code frames (after the kernel wrote to a
    /// frame that once held code, as every exec does) never waits for a compile. A translation
    /// whose frame changed while it was being made is thrown away.
    /// </summary>
    private Translation? Compile(CompileRequest request)
    {
        FrameCode code = request.Code;
        int offset = request.Offset;
        long start = Stopwatch.GetTimestamp();
        byte[] snapshot;
        lock (_gate)
        {
            Translation? existing = code.Entries[offset >> 1];
            if (existing != null || _closed)
                return existing;
            snapshot = TakeSnapshot(code);
        }

        Region? region;
        fixed (byte* bytes = snapshot)
            region = RegionBuilder.Build(bytes, offset, Options.MaxBlockInstructions, request.Executed,
                other => Volatile.Read(ref code.Entries[other >> 1]) != null);
        if (region == null)
        {
            code.Heat[offset >> 1] = FrameCode.Declined;
            return null;
        }
        var t = new Translation(code, region.EntryOffset, region.ChainTargets.Length, region.Instructions.Length);
        var method = new DynamicMethod($"jit_{request.Page + (ulong)offset:x}", typeof(int), Emitter.Parameters, typeof(Hart), skipVisibility: true);
        var il = new IlWriter(method.GetILGenerator(), listing: Options.Dump != null);
        Emitter.Emit(il, region, request.Page);
        t.Code = method.CreateDelegate<BlockCode>(t);
        // Run it once while it is still marked invalid: it returns at once (touching neither the
        // hart nor the state's registers), but the .NET JIT compiles it now, on this thread.
        t.Code(null!, _dryRun, 0, 0);

        lock (_gate)
        {
            Translation? existing = code.Entries[offset >> 1];
            if (existing != null || code.Snapshot != snapshot)
                return existing;
            _compileTicks += Stopwatch.GetTimestamp() - start;
            _blocks++;
            _instructions += region.Instructions.Length;
            _ilBytes += il.Size;
            if (Options.Dump is TextWriter dump)
                JitDump.Write(dump, t, region, request.Page, il);
            code.Live.Add(t);
            t.Valid = true;
            Volatile.Write(ref code.Entries[offset >> 1], t);
            return t;
        }
    }

    /// <summary>
    /// The copy of the frame's bytes its translations are made from (under _gate): the one
    /// taken at its first live translation, unless the frame has changed since, when its
    /// translations go and a new copy is taken. The arrays are never written once taken.
    /// </summary>
    private byte[] TakeSnapshot(FrameCode code)
    {
        ulong framePa = PhysicalMemory.Base + ((ulong)code.Frame << PhysicalMemory.PageShift);
        uint version = _memory.CodeWrites(code.Frame);
        _memory.MarkCodeFrame(framePa);
        // Mark, then copy: see Check for why the barrier sits between them.
        Interlocked.MemoryBarrierProcessWide();
        byte[] bytes = new ReadOnlySpan<byte>(_memory.Pointer(framePa), PhysicalMemory.PageSize).ToArray();
        if (code.Snapshot != null && !bytes.AsSpan().SequenceEqual(code.Snapshot))
            Invalidate(code);
        if (code.Snapshot == null)
        {
            code.Snapshot = bytes;
            code.WriteVersion = version;
            if (!_translated.Contains(code))
                _translated.Add(code);
        }
        return code.Snapshot;
    }

    /// <summary>After fence.i: every translated frame whose bytes differ from its copy loses its translations.</summary>
    public void CheckAll() => Check(all: true);

    /// <summary>When the host has written to frames holding code since the last look: checks those frames.</summary>
    public void CheckHostWrites()
    {
        if (_memory.CodeEpoch != Volatile.Read(ref _seenEpoch))
            Check(all: false);
    }

    private void Check(bool all)
    {
        lock (_gate)
        {
            _seenEpoch = _memory.CodeEpoch;
            var suspects = new List<FrameCode>();
            foreach (FrameCode code in _translated)
            {
                uint version = _memory.CodeWrites(code.Frame);
                if (!all && version == code.WriteVersion)
                    continue;
                code.WriteVersion = version;
                // Marked again before the compare: a host write after this point bumps the
                // version again, and one before it is seen by the compare.
                _memory.MarkCodeFrame(PhysicalMemory.Base + ((ulong)code.Frame << PhysicalMemory.PageShift));
                suspects.Add(code);
            }
            if (suspects.Count == 0)
                return;
            // Store to the marks, then load the bytes: every other thread's stores must be
            // ordered around that, and those threads (host writers) do not fence themselves.
            Interlocked.MemoryBarrierProcessWide();
            foreach (FrameCode code in suspects)
            {
                byte* bytes = _memory.Pointer(PhysicalMemory.Base + ((ulong)code.Frame << PhysicalMemory.PageShift));
                if (!new ReadOnlySpan<byte>(bytes, PhysicalMemory.PageSize).SequenceEqual(code.Snapshot))
                    Invalidate(code);
            }
            _translated.RemoveAll(c => c.Snapshot == null);
        }
    }

    /// <summary>Drops every translation of a frame; its heat starts again, since its code is new. Under _gate.</summary>
    private void Invalidate(FrameCode code)
    {
        foreach (Translation t in code.Live)
            t.Valid = false;
        _invalidated += code.Live.Count;
        code.Live.Clear();
        Array.Clear(code.Entries);
        Array.Clear(code.Heat);
        code.Snapshot = null;
    }
}
