using Osprey.Machine.Cpu;
using Osprey.Machine.Tests.Support;
using static Osprey.Machine.Tests.Support.Asm;

namespace Osprey.Machine.Tests.Conformance;

/// <summary>How Run stops: an exhausted instruction budget, or a pending interrupt.</summary>
public sealed class RunLoopTests
{
    private const ulong Code = TestMachine.CodeBase;
    private const ulong Data = TestMachine.DataBase;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static TestMachine StraightLine(int count)
    {
        var m = new TestMachine();
        ulong pc = Code;
        for (int i = 0; i < count; i++)
            pc = m.Place(pc, Addi(A0, A0, 1));
        m.Place(pc, Ebreak());
        m.Hart.Pc = Code;
        return m;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(99)]
    public void BudgetRetiresExactlyThatManyAndStopsAtTheNext(int budget)
    {
        using var m = StraightLine(100);
        var trap = m.Hart.Run(budget);
        Assert.Equal(new Trap(TrapCause.BudgetExhausted, Code + 4 * (ulong)budget, 0), trap);
        Assert.Equal(Code + 4 * (ulong)budget, m.Hart.Pc);
        Assert.Equal((ulong)budget, m.Hart.Instret);
        Assert.Equal((ulong)budget, m[A0]);

        // Resuming finishes the rest.
        TestMachine.ExpectBreakpoint(m.Hart.Run(1000), Code + 400);
        Assert.Equal(100UL, m[A0]);
        Assert.Equal(100UL, m.Hart.Instret);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ZeroOrNegativeBudgetRunsNothing(long budget)
    {
        using var m = StraightLine(4);
        Assert.Equal(new Trap(TrapCause.BudgetExhausted, Code, 0), m.Hart.Run(budget));
        Assert.Equal(0UL, m.Hart.Instret);
        Assert.Equal(0UL, m[A0]);
    }

    [Fact]
    public void BudgetEndingJustBeforeAnEbreakDoesNotReachIt()
    {
        using var m = StraightLine(3);
        Assert.Equal(new Trap(TrapCause.BudgetExhausted, Code + 12, 0), m.Hart.Run(3));
        Assert.Equal(TrapCause.Breakpoint, m.Hart.Run(1).Cause);
        Assert.Equal(3UL, m.Hart.Instret);
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(3 * 4096)]
    [InlineData(10_001)]
    public void BudgetIsExactInALoopAcrossInterpreterSlices(int budget)
    {
        using var m = new TestMachine();
        m.Place(Code, Addi(A0, A0, 1), J(-4));
        var trap = m.Run(Code, budget);
        ulong expectedPc = budget % 2 == 0 ? Code : Code + 4;
        Assert.Equal(new Trap(TrapCause.BudgetExhausted, expectedPc, 0), trap);
        Assert.Equal((ulong)budget, m.Hart.Instret);
        Assert.Equal((ulong)(budget + 1) / 2, m[A0]);
    }

    [Fact]
    public void PendingInterruptStopsRunBeforeAnyInstruction()
    {
        using var m = StraightLine(4);
        m.Hart.RaiseInterrupt(InterruptLine.Timer);
        Assert.True(m.Hart.IsInterruptPending(InterruptLine.Timer));
        var trap = m.Hart.Run(100);
        Assert.Equal(new Trap(TrapCause.Interrupt, Code, (ulong)InterruptLine.Timer), trap);
        Assert.Equal(0UL, m.Hart.Instret);

        // It stays pending until the kernel clears it.
        Assert.Equal(TrapCause.Interrupt, m.Hart.Run(100).Cause);
        m.Hart.ClearInterrupt(InterruptLine.Timer);
        Assert.False(m.Hart.IsInterruptPending(InterruptLine.Timer));
        TestMachine.ExpectBreakpoint(m.Hart.Run(100), Code + 16);
    }

    [Fact]
    public void InterruptsAreTakenExternalThenSoftwareThenTimer()
    {
        using var m = StraightLine(2);
        m.Hart.RaiseInterrupt(InterruptLine.Timer);
        m.Hart.RaiseInterrupt(InterruptLine.Software);
        m.Hart.RaiseInterrupt(InterruptLine.External);

        Assert.Equal((ulong)InterruptLine.External, m.Hart.Run(100).Value);
        Assert.Equal(9UL, (ulong)InterruptLine.External);
        m.Hart.ClearInterrupt(InterruptLine.External);
        Assert.Equal((ulong)InterruptLine.Software, m.Hart.Run(100).Value);
        Assert.Equal(1UL, (ulong)InterruptLine.Software);
        m.Hart.ClearInterrupt(InterruptLine.Software);
        Assert.Equal((ulong)InterruptLine.Timer, m.Hart.Run(100).Value);
        Assert.Equal(5UL, (ulong)InterruptLine.Timer);
        m.Hart.ClearInterrupt(InterruptLine.Timer);
        TestMachine.ExpectBreakpoint(m.Hart.Run(100), Code + 8);
    }

    [Theory]
    [InlineData(InterruptLine.Timer, InterruptLine.Software, InterruptLine.Software)]
    [InlineData(InterruptLine.Timer, InterruptLine.External, InterruptLine.External)]
    [InlineData(InterruptLine.Software, InterruptLine.External, InterruptLine.External)]
    [InlineData(InterruptLine.External, InterruptLine.Timer, InterruptLine.External)]
    public void PriorityDoesNotDependOnTheOrderOfRaising(InterruptLine first, InterruptLine second, InterruptLine winner)
    {
        using var m = StraightLine(1);
        m.Hart.RaiseInterrupt(first);
        m.Hart.RaiseInterrupt(second);
        Assert.Equal((ulong)winner, m.Hart.Run(10).Value);
    }

    [Theory]
    [InlineData(InterruptLine.External)]
    [InlineData(InterruptLine.Software)]
    [InlineData(InterruptLine.Timer)]
    public void InterruptFromAnotherThreadStopsAnEndlessLoop(InterruptLine line)
    {
        using var m = new TestMachine();
        // loop: t0 += 1; [a0] = t0; j loop
        m.Place(Code, Addi(T0, T0, 1), Sd(A0, T0, 0), J(-8));
        m[A0] = Data;
        m.Hart.Pc = Code;

        Trap trap = default;
        Exception? failure = null;
        var runner = new Thread(() =>
        {
            try { trap = m.Hart.Run(long.MaxValue); }
            catch (Exception e) { failure = e; }
        });
        runner.Start();

        // Wait until the guest is demonstrably running, then interrupt it.
        bool started = SpinWait.SpinUntil(() => m.Memory.Read64(Data) > 0, Deadline);
        m.Hart.RaiseInterrupt(line);
        Assert.True(runner.Join(Deadline), "the hart did not stop after the interrupt");
        Assert.True(started, "the guest loop never ran");
        Assert.Null(failure);

        Assert.Equal(TrapCause.Interrupt, trap.Cause);
        Assert.Equal((ulong)line, trap.Value);
        Assert.Equal(trap.Pc, m.Hart.Pc);
        // Instret is exact: it matches the loop counter at whichever instruction is next.
        ulong counter = m[T0];
        ulong expectedInstret = (trap.Pc - Code) switch
        {
            0 => 3 * counter,
            4 => 3 * counter - 2,
            8 => 3 * counter - 1,
            _ => throw new Xunit.Sdk.XunitException($"interrupted outside the loop: {trap}"),
        };
        Assert.Equal(expectedInstret, m.Hart.Instret);

        // The kernel clears the line and resumes where the hart stopped.
        m.Hart.ClearInterrupt(line);
        var resumed = m.Hart.Run(300);
        Assert.Equal(TrapCause.BudgetExhausted, resumed.Cause);
        Assert.Equal(counter + 100, m[T0]);
    }
}
