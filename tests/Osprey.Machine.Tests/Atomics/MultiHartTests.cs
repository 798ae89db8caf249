using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Atomics;

/// <summary>
/// Several harts, each on its own host thread, hammering the same words of one shared
/// PhysicalMemory. The totals must come out exact: AMOs, LR/SC and a spinlock built from
/// amoswap are atomic across harts, and the lock orders the plain loads and stores it guards.
/// </summary>
public sealed class MultiHartTests
{
    private const int Harts = 4;
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Counters = TestMachine.DataBase;         // shared words
    private const ulong Lock = TestMachine.DataBase + 0x100;     // its own line, away from the counters
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs every hart on its own thread, all released at once, to its ebreak.
    /// <paramref name="setup"/> sets each hart's pc and registers; <paramref name="inspect"/>
    /// sees each hart once all have finished.
    /// </summary>
    private static void RunAll(TestMachine m, Action<Hart, int> setup, Action<Hart, int>? inspect = null)
    {
        var harts = new Hart[Harts];
        harts[0] = m.Hart;
        for (int i = 1; i < Harts; i++)
            harts[i] = new Hart(m.Memory, i);
        try
        {
            var traps = new Trap[Harts];
            var failures = new Exception?[Harts];
            using var start = new Barrier(Harts);
            var threads = new Thread[Harts];
            for (int i = 0; i < Harts; i++)
            {
                int id = i;
                setup(harts[id], id);
                threads[id] = new Thread(() =>
                {
                    try
                    {
                        start.SignalAndWait();
                        Trap t;
                        // Many Run calls each: the reservation is dropped at every return, as a
                        // kernel's preemption would, and the guests must cope.
                        while ((t = harts[id].Run(50_000)).Cause == TrapCause.BudgetExhausted)
                        {
                        }
                        traps[id] = t;
                    }
                    catch (Exception e)
                    {
                        failures[id] = e;
                    }
                }) { IsBackground = true, Name = $"hart {id}" };
                threads[id].Start();
            }

            bool finished = true;
            foreach (Thread t in threads)
                finished &= t.Join(Deadline);
            if (!finished)
            {
                foreach (Hart h in harts)
                    h.RaiseInterrupt(InterruptLine.External);
                foreach (Thread t in threads)
                    t.Join();
            }
            Assert.True(finished, "the harts did not finish");
            Assert.All(failures, Assert.Null);
            for (int i = 0; i < Harts; i++)
                Assert.True(traps[i].Cause == TrapCause.Breakpoint, $"hart {i} stopped with {traps[i]}");
            for (int i = 0; i < Harts; i++)
                inspect?.Invoke(harts[i], i);
        }
        finally
        {
            for (int i = 1; i < Harts; i++)
                harts[i].Dispose();
        }
    }

    [Fact]
    public void AmoaddCountsExactly()
    {
        const int iterations = 100_000;
        using var m = new TestMachine();
        m.Place(Code,
            AmoaddW(Zero, A0, T0),   // loop: word counter += 1
            AmoaddD(T1, A1, T0),     //       doubleword counter += 1 (old value kept)
            Add(S1, S1, T1),         //       sum of the old values this hart saw
            Addi(A2, A2, -1),
            Bne(A2, Zero, -16),
            Ebreak());
        ulong sum = 0;
        RunAll(m,
            (h, _) =>
            {
                h.Pc = Code;
                h[A0] = Counters;
                h[A1] = Counters + 8;
                h[A2] = iterations;
                h[T0] = 1;
            },
            (h, _) => sum += h[S1]);
        const ulong total = (ulong)Harts * iterations;
        Assert.Equal((uint)total, m.Memory.Read32(Counters));
        Assert.Equal(total, m.Memory.Read64(Counters + 8));
        // Every old value 0..total-1 was handed out exactly once, so the harts' sums add up.
        Assert.Equal(total * (total - 1) / 2, sum);
    }

    [Fact]
    public void AmoswapSpinlockMakesPlainIncrementsExact()
    {
        const int iterations = 100_000;
        using var m = new TestMachine();
        m.Place(Code,
            AmoswapW(T1, A0, T0, aq: true), // 0: acquire: t1 = swap(lock, 1)
            Bne(T1, Zero, -4),              // 4: held by someone else: spin
            Ld(T2, A1, 0),                  // 8: the critical section: two plain read-modify-writes
            Addi(T2, T2, 1),                // 12
            Sd(A1, T2, 0),                  // 16
            Lw(T3, A1, 8),                  // 20
            Addi(T3, T3, 3),                // 24
            Sw(A1, T3, 8),                  // 28
            AmoswapW(Zero, A0, Zero, rl: true), // 32: release
            Addi(A2, A2, -1),               // 36
            Bne(A2, Zero, -40),             // 40
            Ebreak());                      // 44
        RunAll(m, (h, _) =>
        {
            h.Pc = Code;
            h[A0] = Lock;
            h[A1] = Counters;
            h[A2] = iterations;
            h[T0] = 1;
        });
        Assert.Equal((ulong)Harts * iterations, m.Memory.Read64(Counters));
        Assert.Equal((uint)(Harts * iterations * 3), m.Memory.Read32(Counters + 8));
        Assert.Equal(0U, m.Memory.Read32(Lock));
    }

    [Fact]
    public void LrScIncrementLoopsCountExactly()
    {
        const int iterations = 100_000;
        using var m = new TestMachine();
        m.Place(Code,
            LrD(T1, A0),            // 0: retry.d
            Addi(T1, T1, 1),        // 4
            ScD(T2, A0, T1),        // 8
            Bne(T2, Zero, -12),     // 12
            LrW(T1, A1, aq: true),  // 16: retry.w
            Addi(T1, T1, 2),        // 20
            ScW(T2, A1, T1, rl: true), // 24
            Bne(T2, Zero, -12),     // 28
            Addi(A2, A2, -1),       // 32
            Bne(A2, Zero, -36),     // 36
            Ebreak());              // 40
        RunAll(m, (h, _) =>
        {
            h.Pc = Code;
            h[A0] = Counters;
            h[A1] = Counters + 64;
            h[A2] = iterations;
        });
        Assert.Equal((ulong)Harts * iterations, m.Memory.Read64(Counters));
        Assert.Equal((uint)(Harts * iterations * 2), m.Memory.Read32(Counters + 64));
    }

    [Fact]
    public void AmosAndLrScOnTheSameWordMixExactly()
    {
        // Half the harts use amoadd, half LR/SC, on one doubleword: each must see the other's updates.
        const int iterations = 100_000;
        using var m = new TestMachine();
        ulong amoLoop = Code, lrscLoop = Code + 0x100;
        m.Place(amoLoop,
            AmoaddD(Zero, A0, T0),
            Addi(A2, A2, -1),
            Bne(A2, Zero, -8),
            Ebreak());
        m.Place(lrscLoop,
            LrD(T1, A0),
            Addi(T1, T1, 1),
            ScD(T2, A0, T1),
            Bne(T2, Zero, -12),
            Addi(A2, A2, -1),
            Bne(A2, Zero, -20),
            Ebreak());
        RunAll(m, (h, id) =>
        {
            h.Pc = id % 2 == 0 ? amoLoop : lrscLoop;
            h[A0] = Counters;
            h[A2] = iterations;
            h[T0] = 1;
        });
        Assert.Equal((ulong)Harts * iterations, m.Memory.Read64(Counters));
    }
}
