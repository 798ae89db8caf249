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
/// Concurrency: lookups read <see cref="FrameCode.Entries"/> without a lock; compiling,
/// installing and invalidating take <c>_gate</c>. A hart that finds the gate taken does not
/// wait for another's compile: it interprets and tries again later. Translations are
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

    /// <summary>
    /// The translation to run for a jump to <paramref name="pc"/>, whose physical address is
    /// <paramref name="pa"/>: an existing one, or a new one if this entry has now been reached
    /// often enough; null to interpret.
    /// </summary>
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
        int heat = ++code.Heat[slot];
        if (heat < Threshold)
            return null;
        return TryCompile(hart, code, slot * 2, pa & ~(ulong)(PhysicalMemory.PageSize - 1), pc & ~(ulong)(PhysicalMemory.PageSize - 1));
    }

    private Translation? TryCompile(Hart hart, FrameCode code, int offset, ulong framePa, ulong page)
    {
        if (!Monitor.TryEnter(_gate))
        {
            code.Heat[offset >> 1] = (short)(Threshold - 1); // try again at the next entry
            return null;
        }
        try
        {
            Translation? existing = code.Entries[offset >> 1];
            if (existing != null)
                return existing;
            byte* bytes = _memory.Pointer(framePa);
            // The first translation of a frame copies it; a later one first checks that the
            // copy still holds, so all of a frame's translations come from the same bytes.
            if (code.Snapshot != null && !new ReadOnlySpan<byte>(bytes, PhysicalMemory.PageSize).SequenceEqual(code.Snapshot))
                Invalidate(code);
            long start = Stopwatch.GetTimestamp();
            Region? region = RegionBuilder.Build(bytes, offset);
            if (region == null)
            {
                code.Heat[offset >> 1] = FrameCode.Declined;
                return null;
            }
            Translation t = Compile(hart, code, region, page);
            _compileTicks += Stopwatch.GetTimestamp() - start;
            if (code.Snapshot == null)
            {
                code.Snapshot = new ReadOnlySpan<byte>(bytes, PhysicalMemory.PageSize).ToArray();
                code.WriteVersion = _memory.CodeWrites(code.Frame);
                _memory.MarkCodeFrame(framePa);
                if (!_translated.Contains(code))
                    _translated.Add(code);
            }
            code.Live.Add(t);
            t.Valid = true;
            Volatile.Write(ref code.Entries[offset >> 1], t);
            return t;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private Translation Compile(Hart hart, FrameCode code, Region region, ulong page)
    {
        var t = new Translation(code, region.EntryOffset, region.ChainTargets.Length, region.Instructions.Length);
        var method = new DynamicMethod($"jit_{page + (ulong)region.EntryOffset:x}", typeof(int), Emitter.Parameters, typeof(Hart), skipVisibility: true);
        var il = new IlWriter(method.GetILGenerator(), listing: Options.Dump != null);
        Emitter.Emit(il, region, page);
        t.Code = method.CreateDelegate<BlockCode>(t);
        // Run it once while it is still marked invalid: it returns at once, but the .NET JIT
        // compiles it now, so the compile time is counted here and not in the guest's.
        t.Code(hart, _dryRun, 0, 0);
        _blocks++;
        _instructions += region.Instructions.Length;
        _ilBytes += il.Size;
        if (Options.Dump is TextWriter dump)
            JitDump.Write(dump, t, region, page, il);
        return t;
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
