using Osprey.Machine.Cpu;
using Osprey.Machine.Jit;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Jit;

/// <summary>
/// What the JIT tier promises beyond computing the same results (which the fuzz test and the
/// conformance suites under OSPREY_JIT check): it really translates, an interrupt stops a
/// translated loop that never leaves translated code, translations follow code changes made by
/// the guest (fence.i) and by the host, one frame mapped at two addresses runs right at both,
/// the jump cache forgets an address space when satp changes, and harts share translations.
/// </summary>
public sealed class JitTierTests
{
    private static readonly JitOptions Forced = new() { Mode = JitMode.Forced };
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Data = TestMachine.DataBase;

    [Fact]
    public void ForcedModeTranslatesWhatItRuns()
    {
        using var m = new TestMachine(jit: Forced);
        m.Place(Code,
            Li(A0, 0),
            Li(T0, 100),
            Add(A0, A0, T0),          // loop: a0 += t0
            Addi(T0, T0, -1),
            Bne(T0, Zero, -8),
            Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 20);
        Assert.Equal(5050UL, m[A0]);
        Assert.Equal(2UL + 3 * 100, m.Hart.Instret);
        Assert.True(m.Hart.JitStatistics!.Value.Blocks >= 1);
        Assert.True(m.Hart.JitCounters!.Calls >= 1, "the translation was never called");
        Assert.Equal(0, m.Hart.JitCounters!.Interpreted);
    }

    [Fact]
    public void OnModeTranslatesOnlyWhatGetsHot()
    {
        using var m = new TestMachine(jit: new JitOptions { Mode = JitMode.On, Threshold = 1000 });
        m.Place(Code, Li(T0, 10), Addi(T0, T0, -1), Bne(T0, Zero, -4), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 12);
        Assert.Equal(0, m.Hart.JitStatistics!.Value.Blocks);
        Assert.Equal(21, m.Hart.JitCounters!.Interpreted);
    }

    /// <summary>
    /// The loop never leaves translated code, so only its own check at the loop head can see
    /// the interrupt. It stops there with everything exact: the counter it stored, its
    /// register, instret and the pc all agree.
    /// </summary>
    [Theory]
    [InlineData(0)]    // one translation, a backward branch inside it
    [InlineData(1)]    // blocks of one instruction: every jump chains to another translation
    public void AnInterruptStopsATranslatedLoop(int smallBlocks)
    {
        var jit = smallBlocks == 0 ? Forced : Forced with { MaxBlockInstructions = 1 };
        using var m = new TestMachine(jit: jit);
        m[A1] = Data;
        m.Place(Code,
            Addi(T0, T0, 1),          // loop: t0++
            Sd(A1, T0, 0),            //       *data = t0
            J(-8));
        m.Hart.Pc = Code;
        Trap trap = default;
        var runner = new Thread(() => trap = m.Hart.Run(long.MaxValue)) { IsBackground = true };
        runner.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (m.Memory.Read64(Data) < 100_000 && runner.IsAlive && DateTime.UtcNow < deadline)
            Thread.Yield();
        m.Hart.RaiseInterrupt(InterruptLine.Timer);
        Assert.True(runner.Join(TimeSpan.FromSeconds(60)), "the translated loop did not stop for the interrupt");
        Assert.Equal(TrapCause.Interrupt, trap.Cause);
        ulong n = m[T0];
        Assert.True(n >= 100_000, $"stopped after {n} iterations");
        // With one-instruction blocks it may stop before any of the three instructions.
        ulong at = (trap.Pc - Code) / 4;
        Assert.True(trap.Pc == Code || (smallBlocks == 1 && at < 3), $"stopped at 0x{trap.Pc:x}");
        Assert.Equal(at == 1 ? n - 1 : n, m.Memory.Read64(Data));
        Assert.Equal(at == 0 ? 3 * n : 3 * (n - 1) + at, m.Hart.Instret);
    }

    [Fact]
    public void FenceISeesCodeTheGuestRewrote()
    {
        using var m = new TestMachine(jit: Forced);
        const ulong target = Code + 0x100;
        m.Place(target, Addi(A0, A0, 1), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(target), target + 4);
        Assert.Equal(1UL, m[A0]);

        // From another frame, the guest writes addi a0, a0, 2 over the addi, runs fence.i and
        // jumps back in: only fence.i can tell the JIT (guest stores are not watched).
        const ulong writer = Code + 0x1000;
        m[A1] = target;
        m[T1] = Addi(A0, A0, 2);
        m.Place(writer, Sw(A1, T1, 0), FenceI(), Jalr(Zero, A1, 0));
        TestMachine.ExpectBreakpoint(m.Run(writer), target + 4);
        Assert.Equal(3UL, m[A0]);
        Assert.True(m.Hart.JitStatistics!.Value.Invalidated >= 1);
    }

    [Fact]
    public void AHostWriteReplacesTranslatedCodeButTheSameBytesKeepIt()
    {
        using var m = new TestMachine(jit: Forced);
        m.Place(Code, Li(A0, 7), Ebreak());
        m.Run(Code);
        long blocks = m.Hart.JitStatistics!.Value.Blocks;

        m.Place(Code, Li(A0, 7));          // the same bytes again: the translation stays
        m.Run(Code);
        Assert.Equal(7UL, m[A0]);
        Assert.Equal(blocks, m.Hart.JitStatistics!.Value.Blocks);
        Assert.Equal(0, m.Hart.JitStatistics!.Value.Invalidated);

        m.Place(Code, Li(A0, 9));          // new code, as a kernel loading a program writes it
        m.Run(Code);
        Assert.Equal(9UL, m[A0]);
        Assert.True(m.Hart.JitStatistics!.Value.Invalidated >= 1);
    }

    /// <summary>auipc gives each mapping its own pc although both run one translation of the frame.</summary>
    [Fact]
    public void OneFrameAtTwoAddressesRunsRightAtBoth()
    {
        using var m = new TestMachine(jit: Forced);
        m.EnableSv39();
        const ulong first = 0x40_0000, second = 0x7F_0000;
        m.Map(first, Code, Pte.V | Pte.R | Pte.X | Pte.U);
        m.Map(second, Code, Pte.V | Pte.R | Pte.X | Pte.U);
        m.Place(Code, Auipc(A0, 1), Jal(Ra, 8), Ebreak(), Ebreak());

        TestMachine.ExpectBreakpoint(m.Run(first), first + 12);
        Assert.Equal(first + 0x1000, m[A0]);
        Assert.Equal(first + 8, m[Ra]);
        TestMachine.ExpectBreakpoint(m.Run(second), second + 12);
        Assert.Equal(second + 0x1000, m[A0]);
        Assert.Equal(second + 8, m[Ra]);
        Assert.Equal(1, m.Hart.JitStatistics!.Value.Blocks);
    }

    /// <summary>
    /// The same virtual address holds different code in two address spaces; a jump to it
    /// through the jump cache must reach the code of the space that is current.
    /// </summary>
    [Fact]
    public void TheJumpCacheFollowsSatp()
    {
        using var m = new TestMachine(jit: Forced);
        // Addresses whose jump-cache slots differ, so one cannot evict the other.
        const ulong entry = 0x10_0000, callee = 0x20_0100;
        const ulong entryPa = Code, oneFrame = Code + 0x1000, twoFrame = Code + 0x2000;
        m.Place(entryPa, Lui(T0, (int)(callee >> 12)), Jalr(Zero, T0, (int)(callee & 0xFFF)));
        m.Place(oneFrame + 0x100, Li(A0, 1), Ebreak());
        m.Place(twoFrame + 0x100, Li(A0, 2), Ebreak());

        m.EnableSv39();
        ulong one = m.RootTable;
        m.Map(entry, entryPa, Pte.V | Pte.R | Pte.X | Pte.U);
        m.Map(callee & ~0xFFFUL, oneFrame, Pte.V | Pte.R | Pte.X | Pte.U);
        m.EnableSv39();
        ulong two = m.RootTable;
        m.Map(entry, entryPa, Pte.V | Pte.R | Pte.X | Pte.U);
        m.Map(callee & ~0xFFFUL, twoFrame, Pte.V | Pte.R | Pte.X | Pte.U);

        foreach ((ulong root, ulong expected) in new[] { (one, 1UL), (two, 2UL), (one, 1UL) })
        {
            m.Hart.Mmu.SatpValue = Satp.Sv39(root);
            for (int i = 0; i < 3; i++)
            {
                TestMachine.ExpectBreakpoint(m.Run(entry), callee + 4);
                Assert.Equal(expected, m[A0]);
            }
        }
    }

    [Fact]
    public void HartsOnOneMemoryShareTranslations()
    {
        using var m = new TestMachine(jit: Forced);
        using var other = new Hart(m.Memory, 1, jit: Forced);
        using var own = new Hart(m.Memory, 2, jit: Forced with { SharedCache = false });
        m.Place(Code, Li(A0, 5), Addi(A0, A0, 1), Ebreak());
        m.Run(Code);
        long blocks = m.Hart.JitStatistics!.Value.Blocks;
        other.Pc = Code;
        TestMachine.ExpectBreakpoint(other.Run(100), Code + 8);
        Assert.Equal(6UL, other[A0]);
        Assert.Equal(blocks, other.JitStatistics!.Value.Blocks);
        own.Pc = Code;
        TestMachine.ExpectBreakpoint(own.Run(100), Code + 8);
        Assert.Equal(1, own.JitStatistics!.Value.Blocks);
    }

    /// <summary>
    /// Two ways out of one translation to the same place, one that has written t0 and one that
    /// has not: each must write back only what it changed. A t0 the second way never loaded
    /// must not reach the register file (a shared exit stub that wrote back the union of both
    /// ways' registers stored t0's empty local there, and matmul faulted under the bench).
    /// Translated code is called only once the background compile is done, so this runs the
    /// two ways in turn until translated code has run many times, checking every run.
    /// </summary>
    [Fact]
    public void WaysOutOfATranslationWriteBackOnlyWhatTheyChanged()
    {
        using var m = new TestMachine(jit: new JitOptions { Mode = JitMode.On, Threshold = 2 });
        const ulong Entry = Code + 0x10, Out = Code + 0x1000; // Out on the next page: never in the region
        m.Place(Code, Jal(Ra, (int)(Entry - Code)));
        m.Place(Entry,
            Beq(A0, Zero, 12),                          // a0 == 0: to the second way
            Li(T0, 5),                                  // the first way writes t0
            Jal(Zero, (int)(Out - (Entry + 8))),
            Jal(Zero, (int)(Out - (Entry + 12))));      // the second way leaves t0 alone
        m.Place(Out, Ebreak());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (int run = 0; m.Hart.JitCounters!.Calls < 200 && DateTime.UtcNow < deadline; run++)
        {
            ulong way = (ulong)run & 1;
            m[A0] = way;
            m[T0] = 1234;
            TestMachine.ExpectBreakpoint(m.Run(Code), Out);
            Assert.Equal(way == 1 ? 5UL : 1234UL, m[T0]);
            if (m.Hart.JitStatistics!.Value.Blocks == 0)
                Thread.Yield();
        }
        Assert.True(m.Hart.JitCounters!.Calls >= 200, "the translation never ran");
    }

    /// <summary>An operation the translator leaves to the interpreter (here a read of instret) runs in place, exactly.</summary>
    [Fact]
    public void AnInstructionLeftToTheInterpreterSeesExactInstret()
    {
        using var m = new TestMachine(jit: Forced);
        m.Place(Code, Li(T0, 3), Addi(T0, T0, -1), Rdinstret(A0), Bne(T0, Zero, -8), Ebreak());
        TestMachine.ExpectBreakpoint(m.Run(Code), Code + 16);
        Assert.Equal(8UL, m[A0]); // li, two rounds of addi, rdinstret, bne, then the last addi
    }

    /// <summary>
    /// A loop that calls the kernel at every turn: the instruction after the ecall, where the
    /// kernel returns, is an entry like a jump target, so once it is hot the whole loop runs
    /// translated and only a round's first two instructions (where the test starts it, which
    /// no jump reaches) are left to the interpreter; before, the way from every return site to
    /// the next jump was interpreted after every call. Compiles happen in the background, so
    /// the loop runs round after round until a round interprets no more than that.
    /// </summary>
    [Fact]
    public void ASystemCallsReturnSiteBecomesAnEntry()
    {
        using var m = new TestMachine(jit: new JitOptions { Mode = JitMode.On, Threshold = 4 });
        m.Place(Code,
            Li(T0, 50),
            Addi(A0, A0, 1),          // loop: a0++, call the "kernel"
            Ecall(),
            Addi(A1, A1, 1),          // the return site: a1++, t0--
            Addi(T0, T0, -1),
            Bne(T0, Zero, -16),
            Ebreak());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long interpreted;
        int rounds = 0;
        do
        {
            long before = m.Hart.JitCounters!.Interpreted;
            ulong pc = Code;
            Trap trap;
            while ((trap = m.Run(pc)).Cause == TrapCause.EnvironmentCallFromUser)
                pc = trap.Pc + 4; // what the kernel does on the way back
            TestMachine.ExpectBreakpoint(trap, Code + 24);
            interpreted = m.Hart.JitCounters!.Interpreted - before;
            rounds++;
        } while (interpreted > 2 && DateTime.UtcNow < deadline);
        Assert.True(interpreted == 2, $"after {rounds} rounds the loop still interpreted {interpreted} instructions a round");
        Assert.Equal(50UL * (ulong)rounds, m[A1]);
    }
}
