using System.Collections.Concurrent;
using System.Diagnostics;
using Osprey.Machine.Jit;
using Xunit.Abstractions;
using static Osprey.Machine.Tests.Differential.StreamLayout;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Random RV64IMAC instruction streams run under qemu-riscv64 and under Osprey's machine must
/// leave identical registers and memory. Streams are batched many to a program (one gcc and
/// one qemu start per batch, which is what costs time); on a mismatch the stream is bisected
/// alone to its first diverging instruction.
/// </summary>
public sealed class RandomStreamTests(ITestOutputHelper output)
{
    private const ulong DefaultSeed = 0x05B2_EA11_D1FF_0001;
    private const ulong SlowSeed = 0x05B2_EA11_D1FF_5105;
    private const ulong FloatSeed = 0x05B2_EA11_F10A_0001;
    private const ulong SlowFloatSeed = 0x05B2_EA11_F10A_5105;

    [Fact]
    public void RandomStreamsMatchQemu() => Check(StreamGenerator.Generate, DefaultSeed, streams: 200, length: 300, perProgram: 25);

    /// <summary>
    /// With every block translated before it runs (OSPREY_JIT=forced), each stream's code goes
    /// through the .NET JIT first, at tens of microseconds an instruction, so that tier runs a
    /// fifth of the streams; the interpreter and the JIT on run all 2000.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void ManyMoreRandomStreamsMatchQemu() =>
        Check(StreamGenerator.Generate, SlowSeed, streams: JitOptions.Default.Mode == JitMode.Forced ? 400 : 2000, length: 500, perProgram: 50);

    /// <summary>F and D streams: f registers, fcsr and (through the flag hash in s1) each item's flags, bit for bit.</summary>
    [Fact]
    public void RandomFloatStreamsMatchQemu() => Check(FloatStreamGenerator.Generate, FloatSeed, streams: 200, length: 300, perProgram: 25);

    [Fact]
    [Trait("Category", "Slow")]
    public void ManyMoreRandomFloatStreamsMatchQemu() =>
        Check(FloatStreamGenerator.Generate, SlowFloatSeed, streams: 500, length: 400, perProgram: 50);

    private void Check(Func<ulong, int, int, RandomStream> generate, ulong runSeed, int streams, int length, int perProgram)
    {
        // Resolved here, not inside the parallel loop, so a missing tool fails with its own message.
        var qemu = new QemuRunner(TimeSpan.FromMinutes(2));
        _ = HostTools.Gcc;
        var osprey = new OspreyRunner(maxInstructions: 10_000_000, memoryBytes: 16UL << 20);
        string work = Directory.CreateTempSubdirectory("osprey-differential-").FullName;
        var clock = Stopwatch.StartNew();
        var failures = new ConcurrentBag<(int Stream, string Report)>();
        int programs = (streams + perProgram - 1) / perProgram;
        long assembling = 0, inQemu = 0, inOsprey = 0, retired = 0;

        Parallel.For(0, programs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
        {
            RandomStream[] batch = [.. Enumerable.Range(p * perProgram, Math.Min(perProgram, streams - p * perProgram))
                .Select(i => generate(StreamGenerator.SeedFor(runSeed, i), i, length))];
            long t0 = Stopwatch.GetTimestamp();
            string elf = HostTools.Assemble(StreamProgram.Source([.. batch.Select(s => (s, s.Items.Count))]), work, $"batch{p}");
            long t1 = Stopwatch.GetTimestamp();
            RunOutput expected = qemu.Run(elf, []);
            long t2 = Stopwatch.GetTimestamp();
            RunOutput actual = osprey.Run(elf, []);
            long t3 = Stopwatch.GetTimestamp();
            Interlocked.Add(ref assembling, t1 - t0);
            Interlocked.Add(ref inQemu, t2 - t1);
            Interlocked.Add(ref inOsprey, t3 - t2);
            Interlocked.Add(ref retired, (long)(actual.Instructions ?? 0));

            // qemu must run every stream to the end, or the generator made a program that
            // faults and the comparison would prove little.
            if (expected.ExitCode != 0 || expected.Stdout.Length != batch.Length * OutputBytes)
            {
                failures.Add((batch[0].Index, $"batch {p} ({batch[0].Name} onwards) did not run cleanly under qemu " +
                    $"(exit {expected.ExitCode}, {expected.Stdout.Length} bytes): {expected.Messages} — a generator bug; sources in {work}"));
                return;
            }
            if (actual.SameAs(expected))
                return;
            int[] differing = [.. Enumerable.Range(0, batch.Length).Where(i => !Chunk(expected, i).SequenceEqual(Chunk(actual, i)))];
            if (differing.Length == 0)
            {
                failures.Add((batch[0].Index, $"batch {p}: every stream's output matches but the exit status differs " +
                    $"(qemu {expected.ExitCode}, osprey {actual.ExitCode}): {actual.Messages}; sources in {work}"));
                return;
            }
            RandomStream first = batch[differing[0]];
            string rest = actual.Stdout.Length < (differing[0] + 1) * OutputBytes
                ? $"osprey's output ends in this stream (exit {actual.ExitCode}), so later streams of batch {p} were not compared"
                : differing.Length == 1 ? $"the only mismatch in batch {p}"
                : $"also differing in batch {p}, not bisected: {string.Join(", ", differing.Skip(1).Select(i => $"#{batch[i].Index}"))}";
            var finder = new DivergenceFinder(qemu, osprey, work);
            failures.Add((first.Index, $"{finder.Explain(first)}\n    ({rest})"));
        });

        output.WriteLine($"{streams} streams of {length} items in {programs} programs, seed 0x{runSeed:x16}: " +
            $"{clock.Elapsed.TotalSeconds:0.0} s; {retired} instructions retired by osprey; " +
            $"summed over programs: gcc {Seconds(assembling):0.0} s, qemu {Seconds(inQemu):0.0} s, osprey {Seconds(inOsprey):0.0} s");
        if (!failures.IsEmpty)
            Assert.Fail(string.Join("\n\n", failures.OrderBy(f => f.Stream).Select(f => f.Report)));
        Directory.Delete(work, recursive: true);
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static ReadOnlySpan<byte> Chunk(RunOutput run, int stream)
    {
        int start = Math.Min(stream * OutputBytes, run.Stdout.Length);
        return run.Stdout.AsSpan(start, Math.Min(OutputBytes, run.Stdout.Length - start));
    }
}
