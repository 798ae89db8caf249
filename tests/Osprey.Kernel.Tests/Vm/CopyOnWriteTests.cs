using Osprey.Kernel.Mem;
using Osprey.Kernel.Tests.Support;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Tests.Vm;

/// <summary>
/// The frame accounting and the fault path, driven directly on page tables in a small
/// machine (on kernel threads, since the allocator's lock needs a CPU): reference counts as
/// fork shares and faults copy, reservations against ordinary allocations, zero fill, and the
/// fault injection's per-thread counting.
/// </summary>
public sealed class CopyOnWriteTests : IDisposable
{
    private const ulong Page = PageTable.PageSize;

    private readonly SchedulerHarness _harness = new(1);
    private readonly PhysicalMemory _memory = new(1 << 20);
    private readonly FrameAllocator _frames;

    public CopyOnWriteTests()
    {
        _frames = new FrameAllocator(_memory, VirtualMemory.ZeroFrame + PhysicalMemory.PageSize);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _memory.Dispose();
    }

    private VirtualMemory Vm(bool cow = true) => new(_memory, _frames, copyOnWrite: cow, lazySbrk: false);

    private void OnKernelThread(Action body) => _harness.Run(body);

    [Fact]
    public void ForkSharesFramesAndAStoreCopiesThenReuses()
    {
        OnKernelThread(() =>
        {
            VirtualMemory vm = Vm();
            long free = _frames.FreeFrames;
            PageTable parent = PageTable.Create(vm)!;
            Assert.Equal(2 * Page, parent.Grow(0, 2 * Page, Pte.W));
            Assert.Equal(4 * Page, parent.Grow(2 * Page, 4 * Page, 0)); // read-only, like text
            parent.CopyOut(_memory, 0, "parent"u8);
            PageTable child = PageTable.Create(vm)!;

            Assert.True(parent.CopyTo(child, 4 * Page));
            ulong frame = Pte.Address(parent.Lookup(0));
            Assert.Equal(frame, Pte.Address(child.Lookup(0)));
            Assert.Equal(2, vm.References.Count(frame));
            Assert.Equal(4, vm.References.Shared);
            Assert.Equal(SoftwarePte.Cow, parent.Lookup(0) & (SoftwarePte.Cow | Pte.W));
            Assert.Equal(0UL, parent.Lookup(2 * Page) & (SoftwarePte.Cow | Pte.W)); // read-only stays plain

            // The child's store copies; the parent's later store finds itself alone and reuses.
            Assert.Equal(FaultResolution.Resolved, PageFaults.Resolve(child, 8, AccessType.Store));
            Assert.NotEqual(frame, Pte.Address(child.Lookup(0)));
            Assert.Equal(1, vm.References.Count(frame));
            Assert.Equal(1, vm.Faults[FaultKind.CowCopy]);
            Assert.Equal(FaultResolution.Resolved, PageFaults.Resolve(parent, 8, AccessType.Store));
            Assert.Equal(frame, Pte.Address(parent.Lookup(0)));
            Assert.Equal(1, vm.Faults[FaultKind.CowReuse]);
            Assert.Equal(Pte.W, parent.Lookup(0) & (SoftwarePte.Cow | Pte.W));

            // The copy kept the bytes; a store to the read-only page is not the process's.
            byte[] seen = new byte[6];
            Assert.True(child.CopyIn(_memory, seen, 0));
            Assert.Equal("parent"u8.ToArray(), seen);
            Assert.Equal(FaultResolution.NotMapped, PageFaults.Resolve(child, 2 * Page, AccessType.Store));

            child.Free(4 * Page);
            parent.Free(4 * Page);
            Assert.Equal(0, vm.References.Referenced);
            Assert.Equal(free, _frames.FreeFrames);
        });
    }

    [Fact]
    public void PromisedPagesTakeTheirReservedFrameOnTheFirstStore()
    {
        OnKernelThread(() =>
        {
            VirtualMemory vm = Vm();
            long free = _frames.FreeFrames;
            PageTable table = PageTable.Create(vm)!;
            Assert.Equal(3 * Page, table.Promise(0, 3 * Page));
            Assert.Equal(3, vm.Reservations.Reserved);
            Assert.Equal(3, vm.ZeroMappings);
            Assert.Equal(VirtualMemory.ZeroFrame, Pte.Address(table.Lookup(Page)));
            Assert.Equal(0, table.Resident);

            Assert.True(table.CopyOut(_memory, Page + 5, [42]));
            Assert.NotEqual(VirtualMemory.ZeroFrame, Pte.Address(table.Lookup(Page)));
            Assert.Equal(2, vm.Reservations.Reserved);
            Assert.Equal(1, vm.Faults[FaultKind.ZeroFill]);
            Assert.Equal(1, table.Resident);
            Span<byte> zeros = stackalloc byte[16];
            Assert.True(table.CopyIn(_memory, zeros, 2 * Page));
            Assert.True(zeros.IndexOfAnyExcept((byte)0) < 0);

            table.Free(3 * Page);
            Assert.Equal(0, vm.Reservations.Reserved);
            Assert.Equal(0, vm.ZeroMappings);
            Assert.Equal(free, _frames.FreeFrames);
        });
    }

    [Fact]
    public void OrdinaryAllocationsLeavePromisedFramesAlone()
    {
        OnKernelThread(() =>
        {
            long all = _frames.FreeFrames;
            Assert.False(_frames.Reservations.TryReserve(all + 1));
            Assert.True(_frames.Reservations.TryReserve(all - 1));
            ulong last = _frames.Allocate();
            Assert.NotEqual(0UL, last);
            Assert.Equal(0UL, _frames.Allocate()); // free, but promised
            ulong promised = _frames.AllocatePromised();
            Assert.NotEqual(0UL, promised);
            Assert.Equal(all - 2, _frames.Reservations.Reserved);
            _frames.Free(promised);
            _frames.Free(last);
            _frames.Reservations.Unreserve(all - 2);
            Assert.Equal(all, _frames.Reservations.Available);
            Assert.Equal(all, _frames.FreeFrames);
        });
    }

    [Fact]
    public void FaultInjectionFailsOnlyTheArmedThreadsNthRequest()
    {
        long made = -1;
        ulong other = 0;
        int step = 0; // 1: armed; 2: the other thread has allocated
        _harness.Run(
            () =>
            {
                _frames.Faults.Arm(3);
                ulong a = _frames.Allocate(), b = _frames.Allocate();
                Volatile.Write(ref step, 1);
                while (Volatile.Read(ref step) != 2)
                    _harness.Scheduler.Yield();
                ulong c = _frames.Allocate(), d = _frames.Allocate();
                made = _frames.Faults.Arm(0);
                Assert.True(a != 0 && b != 0 && d != 0);
                Assert.Equal(0UL, c);
                foreach (ulong f in new[] { a, b, d })
                    _frames.Free(f);
            },
            () =>
            {
                while (Volatile.Read(ref step) != 1)
                    _harness.Scheduler.Yield();
                other = _frames.Allocate(); // while the first thread is armed: neither counted nor failed
                Volatile.Write(ref step, 2);
                if (other != 0)
                    _frames.Free(other);
            });
        Assert.Equal(4, made);
        Assert.NotEqual(0UL, other);
        Assert.Equal(1, _frames.Faults.Injected);
    }

    [Fact]
    public void FreeingAReferencedFramePanics()
    {
        OnKernelThread(() =>
        {
            ulong frame = _frames.Allocate();
            _frames.References.Hold(frame);
            Assert.Throws<KernelPanicException>(() => _frames.Free(frame));
            _frames.References.Release(frame); // the last reference frees it
            Assert.Equal(0, _frames.References.Referenced);
        });
    }
}
