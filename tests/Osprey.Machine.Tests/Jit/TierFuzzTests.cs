using System.Text;
using Osprey.Machine.Cpu;
using Osprey.Machine.Jit;
using Osprey.Machine.Memory;
using Osprey.Machine.Tests.Differential;
using Osprey.Machine.Tests.Support;
using Xunit.Abstractions;

namespace Osprey.Machine.Tests.Jit;

/// <summary>
/// Random instruction streams with random traps (faulting, misaligned and page-crossing
/// accesses, illegal instructions, ecalls, ebreaks) run under the interpreter and under the JIT
/// (on with a low threshold, forced, and forced with tiny blocks so nearly every jump leaves a
/// translation), each cut into Runs of random budgets with interrupts raised between some of
/// them. At every return from Run the trap (cause, pc, value), instret, every x and f register
/// and fcsr (so every accrued flag) must be the same in each tier, and the data pages must end
/// the same.
/// </summary>
public sealed class TierFuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 0x0F05_5EED_0000_1313;
    private const int Streams = 48;
    private const int Items = 160;

    private static readonly (string Name, JitOptions Options)[] Tiers =
    [
        ("off", JitOptions.Interpreter),
        ("on, threshold 2", new JitOptions { Mode = JitMode.On, Threshold = 2 }),
        ("forced", new JitOptions { Mode = JitMode.Forced }),
        ("forced, blocks of 3", new JitOptions { Mode = JitMode.Forced, MaxBlockInstructions = 3 }),
    ];

    [Fact]
    public void EveryTierStopsTheSameWayAtEveryTrap()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var causes = new System.Collections.Concurrent.ConcurrentDictionary<TrapCause, int>();
        long blocks = 0, returns = 0;
        Parallel.For(0, Streams, i =>
        {
            ulong seed = Seed + (ulong)i * 0x9E37_79B9;
            var stream = FuzzStream.Generate(seed, Items);
            Outcome reference = Run(stream, seed, Tiers[0].Options);
            Interlocked.Add(ref returns, reference.Returns.Count);
            foreach (Return r in reference.Returns)
                causes.AddOrUpdate(r.Trap.Cause, 1, (_, n) => n + 1);
            foreach ((string name, JitOptions options) in Tiers.Skip(1))
            {
                Outcome actual = Run(stream, seed, options);
                Interlocked.Add(ref blocks, actual.Blocks);
                string? difference = reference.FirstDifference(actual);
                if (difference != null)
                    failures.Add($"stream {i} (seed 0x{seed:x}), tier {name}: {difference}");
            }
        });
        output.WriteLine($"{Streams} streams of {Items} items: {returns} returns from Run per tier compared; {blocks} blocks translated");
        output.WriteLine(string.Join(", ", causes.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f)));
        Assert.True(blocks > Streams, "the JIT tiers translated next to nothing, so they were not compared");
    }

    private sealed record Return(Trap Trap, ulong Instret, ulong[] Registers, ulong[] FloatRegisters, uint Fcsr);

    private sealed class Outcome
    {
        public List<Return> Returns { get; } = new();
        public byte[] Data { get; set; } = [];
        public long Blocks { get; set; }

        public string? FirstDifference(Outcome other)
        {
            for (int i = 0; i < Math.Min(Returns.Count, other.Returns.Count); i++)
            {
                Return a = Returns[i], b = other.Returns[i];
                if (a.Trap != b.Trap)
                    return $"return {i}: the interpreter stopped with {a.Trap}, the JIT with {b.Trap}";
                if (a.Instret != b.Instret)
                    return $"return {i} ({a.Trap}): instret {a.Instret} in the interpreter, {b.Instret} in the JIT";
                for (int r = 1; r < 32; r++)
                {
                    if (a.Registers[r] != b.Registers[r])
                        return $"return {i} ({a.Trap}): x{r} is 0x{a.Registers[r]:x} in the interpreter, 0x{b.Registers[r]:x} in the JIT";
                }
                for (int f = 0; f < 32; f++)
                {
                    if (a.FloatRegisters[f] != b.FloatRegisters[f])
                        return $"return {i} ({a.Trap}): f{f} is 0x{a.FloatRegisters[f]:x} in the interpreter, 0x{b.FloatRegisters[f]:x} in the JIT";
                }
                if (a.Fcsr != b.Fcsr)
                    return $"return {i} ({a.Trap}): fcsr is 0x{a.Fcsr:x} in the interpreter, 0x{b.Fcsr:x} in the JIT";
            }
            if (Returns.Count != other.Returns.Count)
                return $"the interpreter returned {Returns.Count} times, the JIT {other.Returns.Count}";
            int at = Data.AsSpan().CommonPrefixLength(other.Data);
            return at < Data.Length ? $"data differs from offset 0x{at:x}" : null;
        }
    }

    /// <summary>
    /// Runs the stream to its final ebreak on a fresh machine, acting as a small kernel: an
    /// ecall gets a0 changed and skipped, other traps are skipped, interrupts cleared.
    /// </summary>
    private static Outcome Run(FuzzStream stream, ulong seed, JitOptions jit)
    {
        using var m = new TestMachine(2UL << 20, new FixedTime(), jit);
        const ulong codePa = PhysicalMemory.Base + 0x10_0000, readOnlyPa = codePa + 0x8000, dataPa = codePa + 0x9000;
        m.EnableSv39();
        m.MapRange(FuzzStream.CodeVa, codePa, FuzzStream.CodePages, Pte.V | Pte.R | Pte.X | Pte.U | Pte.A);
        m.Map(FuzzStream.ReadOnlyVa, readOnlyPa, Pte.V | Pte.R | Pte.U | Pte.A);
        m.MapRange(FuzzStream.DataVa, dataPa, FuzzStream.DataPages, Pte.V | Pte.R | Pte.W | Pte.U | Pte.A | Pte.D);
        m.Memory.Write(codePa + (stream.Start - FuzzStream.CodeVa), stream.Code);
        var fill = new SplitMix64(seed ^ 0xDA7A);
        for (ulong off = 0; off < 0x1000 * (1 + FuzzStream.DataPages); off += 8)
            m.Memory.Write64(readOnlyPa + off, fill.Next());
        for (int r = 1; r < 32; r++)
            m[r] = stream.Registers[r];
        for (int f = 0; f < 32; f++)
            m.Hart.SetFloatRegister(f, stream.FloatRegisters[f]);
        m.Hart.Fcsr = stream.Fcsr;

        var outcome = new Outcome();
        var schedule = new SplitMix64(seed ^ 0x5C4ED);
        Hart hart = m.Hart;
        hart.Pc = stream.Start;
        for (int step = 0; step < 20_000; step++)
        {
            if (schedule.Chance(3))
                hart.RaiseInterrupt(InterruptLine.Software);
            Trap trap = hart.Run(schedule.Chance(20) ? schedule.Between(1, 8) : schedule.Between(1, 120));
            var registers = new ulong[32];
            for (int r = 1; r < 32; r++)
                registers[r] = hart[r];
            var floats = new ulong[32];
            hart.SaveFloatRegisters(floats);
            outcome.Returns.Add(new Return(trap, hart.Instret, registers, floats, hart.Fcsr));
            switch (trap.Cause)
            {
                case TrapCause.BudgetExhausted:
                    break;
                case TrapCause.Interrupt:
                    hart.ClearInterrupt(InterruptLine.Software);
                    break;
                case TrapCause.Breakpoint when trap.Pc == stream.End:
                    outcome.Data = new byte[0x1000 * FuzzStream.DataPages];
                    m.Memory.Read(dataPa, outcome.Data);
                    outcome.Blocks = hart.JitStatistics?.Blocks ?? 0;
                    return outcome;
                case TrapCause.EnvironmentCallFromUser:
                    hart[10] ^= 0x5EED_0000 + trap.Pc;
                    hart.Pc = trap.Pc + 4;
                    break;
                default:
                    hart.Pc = trap.Pc + InstructionLength(m, trap.Pc);
                    break;
            }
        }
        throw new InvalidOperationException($"stream (seed 0x{seed:x}) did not reach its end: a generator bug");
    }

    private static ulong InstructionLength(TestMachine m, ulong va)
    {
        ulong pa = PhysicalMemory.Base + 0x10_0000 + (va - FuzzStream.CodeVa);
        return (m.Memory.Read16(pa) & 3) == 3 ? 4UL : 2UL;
    }

    /// <summary>A time CSR that never moves, so no stream's result depends on when it ran.</summary>
    private sealed class FixedTime : Osprey.Machine.Time.ITimeSource
    {
        public ulong Frequency => 10_000_000;
        public ulong Now => 0;
    }
}
