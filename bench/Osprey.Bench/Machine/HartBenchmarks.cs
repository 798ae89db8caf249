using BenchmarkDotNet.Attributes;
using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Bench.Machine;

/// <summary>
/// The interpreter's cost per instruction on small loops, in Bare mode (no page tables) and
/// under Sv39, so that a change to dispatch, decoding or the TLB fast path shows up here
/// before it shows up in the guest benchmarks; "float" is two-thirds double-precision
/// arithmetic. Each operation runs 1,000,000 instructions.
/// </summary>
[MemoryDiagnoser]
public class HartBenchmarks : IDisposable
{
    private const long Instructions = 1_000_000;
    private const ulong Code = PhysicalMemory.Base;
    private const ulong Data = PhysicalMemory.Base + 0x10000;

    private PhysicalMemory _memory = null!;
    private Hart _hart = null!;

    [Params("alu", "load-store", "branchy", "float")]
    public string Loop { get; set; } = "alu";

    [Params(false, true)]
    public bool Sv39 { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _memory = new PhysicalMemory(4 << 20);
        _hart = new Hart(_memory);
        uint[] code = Loop switch
        {
            "alu" => LoopCode.Alu(),
            "load-store" => LoopCode.LoadStore(),
            "float" => LoopCode.Float(),
            _ => LoopCode.Branchy(),
        };
        foreach ((int register, double value) in LoopCode.FloatStart)
            _hart.SetFloatRegister(register, BitConverter.DoubleToUInt64Bits(value));
        for (int i = 0; i < code.Length; i++)
            _memory.Write32(Code + (ulong)i * 4, code[i]);
        ulong codeVa = Code, dataVa = Data;
        if (Sv39)
        {
            // Identity-free layout: code at VA 0, data at VA 0x10000, tables at the top of RAM.
            var tables = new SimplePageTables(_memory, PhysicalMemory.Base + (3 << 20));
            tables.Map(0, Code, Pte.R | Pte.X);
            for (ulong off = 0; off < 0x4000; off += 4096)
                tables.Map(0x10000 + off, Data + off, Pte.R | Pte.W);
            _hart.Mmu.SatpValue = Satp.Sv39(tables.Root);
            codeVa = 0;
            dataVa = 0x10000;
        }
        _hart.Pc = codeVa;
        _hart[LoopCode.DataRegister] = dataVa;
    }

    [Benchmark(OperationsPerInvoke = (int)Instructions)]
    public Trap Run()
    {
        Trap trap = _hart.Run(Instructions);
        return trap;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _hart.Dispose();
        _memory.Dispose();
        GC.SuppressFinalize(this);
    }
}
