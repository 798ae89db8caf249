using System.Diagnostics;
using System.Text.Json;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Syscalls;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Insight;

/// <summary>
/// --trace FILE.json: a timeline of the machine in the Chrome trace-event format, which
/// ui.perfetto.dev (and chrome://tracing) open. What it holds:
///
///   a track per simulated CPU     (process "CPUs", thread "cpu N"): a complete ("X") slice
///                                 for every stretch a thread held that CPU, never
///                                 overlapping; instants for the interrupts it took
///   a track per thread            (its process's pid, its tid): instants for its system
///                                 calls (name, decoded arguments, result) and page faults
///                                 (kind); a B/E slice for every wait on a contended lock
///                                 (which lock, who held it)
///   counters                      runnable threads, free frames
///   flows                         an arrow from each wake-up to the woken thread's next slice
///
/// The kernel calls in from one-line hooks at the places these things happen (the
/// scheduler's hand-over and enqueue, the trap handler, the locks, the fault counter), each
/// behind a null check of <see cref="Cpu.Trace"/> or the kernel's watch, so that a kernel
/// booted without --trace pays one load and branch per hook. Events are written as they
/// happen, one at a time under a host lock (a slice when it ends), so a trace costs memory
/// only for the writer's buffer.
/// </summary>
public sealed class Tracer : IDisposable
{
    /// <summary>The pid of the CPU tracks' process; far above any Osprey pid.</summary>
    public const int CpuProcess = 1_000_000_000;

    /// <summary>The pid under which kernel threads with no user task appear.</summary>
    public const int KernelProcess = 1_000_000_001;

    private readonly object _writeLock = new();
    private readonly Utf8JsonWriter _json;
    private readonly Stream _output;
    private readonly Scheduler _scheduler;
    private readonly Func<long> _freeFrames;
    private readonly long _origin = Stopwatch.GetTimestamp();

    // Per CPU: the thread whose slice is open and when it began (changed under the scheduler lock).
    private readonly KThread?[] _onCpu;
    private readonly long[] _since;

    // What metadata has been written, so a name is written again only when it changes (exec).
    private readonly Dictionary<int, string> _processNames = [];
    private readonly Dictionary<int, string> _threadNames = [];

    // Flow ids of wake-ups whose woken thread has not run yet, by tid.
    private readonly Dictionary<int, long> _pendingFlows = [];
    private long _lastFlow;
    private long _lastRunnable = -1, _lastFree = -1;
    private bool _closed;

    public Tracer(Stream output, Scheduler scheduler, Func<long> freeFrames)
    {
        _output = output;
        _scheduler = scheduler;
        _freeFrames = freeFrames;
        _onCpu = new KThread?[scheduler.Cpus.Count];
        _since = new long[scheduler.Cpus.Count];
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        _json.WriteStartObject();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartArray("traceEvents");
        lock (_writeLock)
        {
            Metadata("process_name", CpuProcess, null, "CPUs");
            Metadata("process_name", KernelProcess, null, "kernel threads");
            foreach (Cpu cpu in scheduler.Cpus)
                Metadata("thread_name", CpuProcess, CpuProcess + cpu.Id, $"cpu {cpu.Id}");
        }
    }

    /// <summary>
    /// The clock every event is stamped with, in nanoseconds: host time from the tracer's start.
    /// Deterministic runs replace it with the virtual clock (OspreyKernel.Insight.cs, the one
    /// place that decides), so that a seed's trace is the same file every time.
    /// </summary>
    public Func<long>? Clock { get; set; }

    /// <summary>Events written so far.</summary>
    public long Events { get; private set; }

    // The latest virtual instant handed out. The virtual clock can step back for a moment (a
    // tick's instructions are taken off before the tick is counted, see TrapHandler), and a
    // trace must never go backwards, or a CPU's slices would overlap.
    private long _lastVirtual;

    public long Now()
    {
        if (Clock is not { } clock)
            return HostNanoseconds();
        long now = clock(), last;
        do
        {
            last = Volatile.Read(ref _lastVirtual);
            if (now <= last)
                return last;
        }
        while (Interlocked.CompareExchange(ref _lastVirtual, now, last) != last);
        return now;
    }

    private long HostNanoseconds() => (long)((Stopwatch.GetTimestamp() - _origin) * (1e9 / Stopwatch.Frequency));

    /// <summary>The scheduler's hand-over of <paramref name="cpu"/> from <paramref name="from"/> to <paramref name="to"/> (under its lock).</summary>
    public void Switch(Cpu cpu, KThread from, KThread to)
    {
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            EndSlice(cpu.Id, now, from.State.ToString());
            if (to != cpu.Idle)
            {
                _onCpu[cpu.Id] = to;
                _since[cpu.Id] = now;
                if (_pendingFlows.Remove(to.Id, out long flow))
                    Flow("f", flow, now, CpuProcess, CpuProcess + cpu.Id);
            }
            Counters(now);
        }
    }

    /// <summary>A thread made runnable by a wake-up (not by a yield): the flow's start, on the waker's CPU.</summary>
    public void Wake(KThread woken)
    {
        Cpu? cpu = Cpu.Mine;
        if (cpu == null || cpu.Current == cpu.Idle)
            return; // an interrupt on an idle CPU: no slice to start the arrow from
        long now = Now();
        lock (_writeLock)
        {
            if (_closed || _pendingFlows.ContainsKey(woken.Id))
                return;
            long flow = ++_lastFlow;
            _pendingFlows[woken.Id] = flow;
            Flow("s", flow, now, CpuProcess, CpuProcess + cpu.Id);
        }
    }

    /// <summary>A system call that returned: an instant on the thread's track at its entry time.</summary>
    public void Syscall(UserThread t, SyscallCall call, long entered, string arguments, string result)
    {
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            Track(t.Kernel!, out int pid, out int tid);
            Begin("i", call.Name, "syscall", entered, pid, tid);
            _json.WriteString("s", "t");
            _json.WriteStartObject("args");
            _json.WriteString("args", arguments);
            _json.WriteString("result", result);
            _json.WriteNumber("duration_us", (now - entered) / 1000m);
            _json.WriteEndObject();
            End();
        }
    }

    /// <summary>A user page fault, by how it ended.</summary>
    public void PageFault(FaultKind kind)
    {
        if (KThread.Current is not { } me)
            return;
        Instant(me, $"page fault: {kind}", "fault", ("kind", kind.ToString()));
    }

    /// <summary>The interrupts pending on <paramref name="cpu"/> as it takes them: an instant on its track for each.</summary>
    public void Interrupts(Cpu cpu, bool timer, bool external, bool ipi)
    {
        if (!timer && !external && !ipi)
            return;
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            if (timer)
                CpuInstant("timer interrupt", "interrupt", now, cpu.Id);
            if (external)
                CpuInstant("device interrupt", "interrupt", now, cpu.Id);
            if (ipi)
                CpuInstant("IPI", "ipi", now, cpu.Id);
            if (timer && cpu.Id == 0)
                Counters(now);
        }
    }

    /// <summary>
    /// An inter-processor interrupt sent to <paramref name="to"/> (to run a thread it should
    /// pick up, to make a thread take a signal, a TLB shootdown): an instant on the sending
    /// CPU's track; the receiving CPU shows an "IPI" instant when it takes it.
    /// </summary>
    public void IpiSent(Cpu to, string why)
    {
        if (Cpu.Mine is not { } from)
            return; // sent by a host thread that holds no CPU (boot, halt)
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            Begin("i", $"IPI to cpu {to.Id}", "ipi", now, CpuProcess, CpuProcess + from.Id);
            _json.WriteString("s", "t");
            _json.WriteStartObject("args");
            _json.WriteString("why", why);
            _json.WriteEndObject();
            End();
        }
    }

    /// <summary>An idle CPU woken by an IPI (the idle loop takes it without the trap path's <see cref="Interrupts"/>).</summary>
    public void IdleIpi(Cpu cpu)
    {
        if (cpu.Hart.IsInterruptPending(Machine.Cpu.InterruptLine.Software))
            Interrupts(cpu, timer: false, external: false, ipi: true);
    }

    /// <summary>
    /// A signal sent to task <paramref name="pid"/>, and what became of it (pending, ignored,
    /// the task killed): an instant on the sender's track (a user thread's kill or sigsend, or
    /// the thread whose CPU took the ^C or the alarm's tick).
    /// </summary>
    public void SignalSent(int sig, int pid, string outcome)
    {
        if (KThread.Current is not { } sender)
            return;
        Instant(sender, $"send {SignalName(sig)}", "signal", ("signal", SignalName(sig)), ("to pid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("outcome", outcome));
    }

    /// <summary>A signal taken by <paramref name="receiver"/> on its way to user mode, and its action (a handler, the default, ignored).</summary>
    public void SignalDelivered(KThread receiver, int sig, string action) =>
        Instant(receiver, $"signal {SignalName(sig)}", "signal", ("signal", SignalName(sig)), ("action", action));

    /// <summary>A signal's name from the ABI's constants (SIGINT), or its number.</summary>
    public static string SignalName(int sig)
    {
        foreach ((string name, int value, _) in SyscallSignatures.Constants)
        {
            if (value == sig && name.StartsWith("SIG", StringComparison.Ordinal) && !name.Contains('_'))
                return name;
        }
        return $"signal {sig}";
    }

    /// <summary>A thread starts waiting for a lock that <paramref name="holder"/> holds; end the wait with <see cref="LockWait.End"/>.</summary>
    public LockWait Wait(string lockName, KThread? holder)
    {
        KThread me = KThread.Current!;
        return new LockWait(this, me, lockName, holder == null ? "?" : Label(holder), Now());
    }

    /// <summary>A thread blocks on a sleeping lock or semaphore (<see cref="Scheduler.Block"/>): a wait named after it and its holder, if it knows one.</summary>
    public LockWait WaitFor(object on) =>
        on is Sync.IHeldLock held ? Wait(held.Name, held.Holder) : Wait(on.ToString() ?? "?", null);

    internal void EndWait(LockWait wait)
    {
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            Track(wait.Waiter, out int pid, out int tid);
            Begin("B", $"wait {wait.Lock}", "lock", wait.Start, pid, tid);
            _json.WriteStartObject("args");
            _json.WriteString("lock", wait.Lock);
            _json.WriteString("holder", wait.Holder);
            _json.WriteEndObject();
            End();
            Begin("E", $"wait {wait.Lock}", "lock", now, pid, tid);
            End();
        }
    }

    /// <summary>An instant on a thread's track, with string arguments.</summary>
    public void Instant(KThread thread, string name, string category, params (string Key, string Value)[] args)
    {
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            Track(thread, out int pid, out int tid);
            Begin("i", name, category, now, pid, tid);
            _json.WriteString("s", "t");
            _json.WriteStartObject("args");
            foreach ((string key, string value) in args)
                _json.WriteString(key, value);
            _json.WriteEndObject();
            End();
        }
    }

    /// <summary>Ends every open slice and the JSON; later events are dropped. Called when the machine is torn down.</summary>
    public void Close()
    {
        long now = Now();
        lock (_writeLock)
        {
            if (_closed)
                return;
            for (int i = 0; i < _onCpu.Length; i++)
                EndSlice(i, now, "Halted");
            _closed = true;
            _json.WriteEndArray();
            _json.WriteEndObject();
            _json.Flush();
            _output.Flush();
        }
    }

    public void Dispose()
    {
        Close();
        _json.Dispose();
    }

    // Everything below runs under _writeLock.

    private void EndSlice(int cpu, long now, string stateAfter)
    {
        if (_onCpu[cpu] is not { } t)
            return;
        _onCpu[cpu] = null;
        Track(t, out int pid, out int tid);
        Begin("X", Label(t), "sched", _since[cpu], CpuProcess, CpuProcess + cpu);
        _json.WriteNumber("dur", (now - _since[cpu]) / 1000m);
        _json.WriteStartObject("args");
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        _json.WriteString("then", stateAfter.ToLowerInvariant());
        _json.WriteEndObject();
        End();
    }

    private void Counters(long now)
    {
        long runnable = _scheduler.RunnableCount, free = _freeFrames();
        if (runnable != _lastRunnable)
        {
            _lastRunnable = runnable;
            Counter("runnable threads", now, runnable);
        }
        if (free != _lastFree)
        {
            _lastFree = free;
            Counter("free frames", now, free);
        }
    }

    private void Counter(string name, long now, long value)
    {
        Begin("C", name, "counter", now, CpuProcess, null);
        _json.WriteStartObject("args");
        _json.WriteNumber("value", value);
        _json.WriteEndObject();
        End();
    }

    private void CpuInstant(string name, string category, long now, int cpu)
    {
        Begin("i", name, category, now, CpuProcess, CpuProcess + cpu);
        _json.WriteString("s", "t");
        End();
    }

    private void Flow(string phase, long id, long now, int pid, int tid)
    {
        Begin(phase, "wake-up", "wakeup", now, pid, tid);
        _json.WriteNumber("id", id);
        End();
    }

    /// <summary>The pid and tid a thread's events go under, writing its names first if they are new or changed.</summary>
    private void Track(KThread t, out int pid, out int tid)
    {
        tid = t.Id;
        string threadName;
        if (t.Owner is UserThread u)
        {
            pid = u.Task.Pid;
            string processName = u.Task.Name;
            if (!_processNames.TryGetValue(pid, out string? known) || known != processName)
            {
                _processNames[pid] = processName;
                Metadata("process_name", pid, null, processName);
            }
            threadName = u.Tid == pid ? processName : $"{processName} thread {u.Tid}";
        }
        else
        {
            pid = KernelProcess;
            threadName = t.Name;
        }
        if (!_threadNames.TryGetValue(tid, out string? knownThread) || knownThread != threadName)
        {
            _threadNames[tid] = threadName;
            Metadata("thread_name", pid, tid, threadName);
        }
    }

    private static string Label(KThread t) =>
        t.Owner is UserThread u ? $"{u.Task.Name} {u.Tid}" : t.Name;

    private void Metadata(string kind, int pid, int? tid, string name)
    {
        _json.WriteStartObject();
        _json.WriteString("ph", "M");
        _json.WriteString("name", kind);
        _json.WriteNumber("pid", pid);
        if (tid is { } t)
            _json.WriteNumber("tid", t);
        _json.WriteStartObject("args");
        _json.WriteString("name", name);
        _json.WriteEndObject();
        _json.WriteEndObject();
        Events++;
    }

    private void Begin(string phase, string name, string category, long ts, int pid, int? tid)
    {
        _json.WriteStartObject();
        _json.WriteString("ph", phase);
        _json.WriteString("name", name);
        _json.WriteString("cat", category);
        _json.WriteNumber("ts", ts / 1000m);
        _json.WriteNumber("pid", pid);
        if (tid is { } t)
            _json.WriteNumber("tid", t);
    }

    private void End()
    {
        _json.WriteEndObject();
        Events++;
        if (_json.BytesPending > 1 << 16)
            _json.Flush();
    }
}
