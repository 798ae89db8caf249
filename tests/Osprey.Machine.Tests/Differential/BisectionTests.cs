using Xunit.Abstractions;

namespace Osprey.Machine.Tests.Differential;

/// <summary>The machinery that explains a failing random stream must itself find the right instruction.</summary>
public sealed class BisectionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(300, 137)]
    [InlineData(300, 0)]
    [InlineData(300, 299)]
    [InlineData(1, 0)]
    public void BisectorFindsTheFirstDivergingItemInLogarithmicProbes(int length, int badItem)
    {
        int probes = 0;
        int prefix = Bisector.FirstDivergingPrefix(length, k =>
        {
            probes++;
            return k > badItem;
        });
        Assert.Equal(badItem + 1, prefix);
        Assert.InRange(probes, 1, (int)Math.Ceiling(Math.Log2(length + 1)) + 1);
    }

    [Fact]
    public void BisectorReportsAPrologueDivergenceAsPrefixZero() =>
        Assert.Equal(0, Bisector.FirstDivergingPrefix(300, _ => true));

    [Fact]
    public void BisectorEndsOnAGenuineBoundaryWhenDivergenceIsNotMonotonic()
    {
        // Items 50 and 200 break the state; 120 repairs it again (an overwrite hiding a bad value).
        static bool Diverges(int k) => (k > 50 && k <= 120) || k > 200;
        int prefix = Bisector.FirstDivergingPrefix(300, Diverges);
        Assert.True(Diverges(prefix) && !Diverges(prefix - 1), $"prefix {prefix} is not a boundary");
    }

    [Fact]
    public void GeneratorIsReproducibleFromTheSeed()
    {
        ulong seed = StreamGenerator.SeedFor(42, 7);
        RandomStream a = StreamGenerator.Generate(seed, 7, 200), b = StreamGenerator.Generate(seed, 7, 200);
        Assert.Equal(a.Registers, b.Registers);
        Assert.Equal(a.Scratch, b.Scratch);
        Assert.Equal(a.Items, b.Items);
        Assert.NotEqual(a.Items, StreamGenerator.Generate(StreamGenerator.SeedFor(42, 8), 8, 200).Items);
    }

    /// <summary>
    /// End to end but without qemu: a fake emulator that gets one planted instruction wrong
    /// must be caught at that instruction, with the register it corrupts named.
    /// </summary>
    [Fact]
    public void FinderNamesTheInstructionAFakeEmulatorGetsWrong()
    {
        const int planted = 23;
        const uint luiT6 = 0xABCDE000 | (31 << 7) | 0x37; // lui t6, 0xabcde
        RandomStream generated = StreamGenerator.Generate(StreamGenerator.SeedFor(0xB15EC7, 0), 0, 40);
        StreamItem[] items = [.. generated.Items];
        items[planted] = new StreamItem("lui t6, 0xabcde");
        RandomStream stream = generated with { Items = items };

        var good = new OspreyRunner(maxInstructions: 1_000_000, memoryBytes: 16UL << 20);
        var broken = new MarkerFaultRunner(good, luiT6, register: 31);
        string work = Directory.CreateTempSubdirectory("osprey-bisection-").FullName;
        var finder = new DivergenceFinder(good, broken, work);
        string report = finder.Explain(stream);
        output.WriteLine(report);

        Assert.True(finder.LastIndex == planted, report);
        Assert.Contains("first diverge at item 23", report);
        Assert.Contains("lui t6, 0xabcde", report);
        Assert.Contains("t6: osprey", report);
        Assert.InRange(finder.Probes, 2, 8);
        Directory.Delete(work, recursive: true);
    }
}
