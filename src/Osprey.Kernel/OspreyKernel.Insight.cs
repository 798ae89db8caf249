using Osprey.Kernel.Insight;
using Osprey.Kernel.Sched;

namespace Osprey.Kernel;

// Insight: the observers a boot option turns on (strace, the trace). Each is null when off,
// and every hook in the kernel is a null check of it.
public sealed partial class OspreyKernel
{
    private void StartInsight(KernelOptions options)
    {
        if (options.TraceOutput is { } output)
        {
            Tracer = new Tracer(output, Scheduler, () => Frames.FreeFrames);
            if (options.IsDeterministic)
                Tracer.Clock = VirtualNanoseconds; // a seed's trace is the same file on every host
            foreach (Cpu cpu in Scheduler.Cpus)
                cpu.Trace = Tracer;
        }
        if (options.Debug)
            Debugger = new Debugger(this, startStopped: options.DebugWait);
        Strace? strace = options.Strace is { } pids ? new Strace(options.Diagnostics, pids) : null;
        if (strace != null || Tracer != null)
            Watch = new SyscallWatch(Memory, strace, Tracer);
    }
}
