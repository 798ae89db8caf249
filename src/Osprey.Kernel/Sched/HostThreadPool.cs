using System.Collections.Concurrent;

namespace Osprey.Kernel.Sched;

/// <summary>
/// Host threads for kernel threads, kept for reuse: starting a host thread costs tens of
/// microseconds, which would dominate fork. A worker runs one kernel thread's body to its end,
/// then waits here for the next one. Every worker has a stack of <see cref="KernelStack.Size"/>
/// bytes, which the kernel checks at its preemption points.
/// </summary>
internal static class HostThreadPool
{
    private static readonly ConcurrentBag<Worker> Idle = new();

    public static void Run(Action body)
    {
        if (Idle.TryTake(out Worker? worker))
            worker.Assign(body);
        else
            new Worker(body).Start();
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _assigned = new(0, 1);
        private Action? _body;

        public Worker(Action body) => _body = body;

        public void Assign(Action body)
        {
            _body = body;
            _assigned.Release();
        }

        public void Start() => new Thread(Loop, KernelStack.Size) { IsBackground = true, Name = "osprey-kthread" }.Start();

        private void Loop()
        {
            KernelStack.Enter();
            while (true)
            {
                Action body = _body!;
                _body = null;
                body();
                Idle.Add(this);
                _assigned.Wait();
            }
        }
    }
}
