using Osprey.Kernel.Kkv;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Syscalls;

// The kernel key-value store's calls (Linux-numbered, 501-504; Kkv/KeyValueStore.cs): each
// returns 0 (destroy: the pairs removed) or a negative Linux errno, which the C stubs turn
// into -1 and errno. User memory is copied here, never under the store's bucket locks.
public sealed partial class SystemCalls
{
    private long KkvInit() => kernel.Kkv.Init(ArgInt(0));

    private long KkvDestroy() => kernel.Kkv.Destroy(ArgInt(0));

    /// <summary>kkv_put(key, val, size, flags): the value is copied in before the store is touched; a bad pointer is EFAULT and changes nothing.</summary>
    private long KkvPut()
    {
        uint key = (uint)ArgInt(0);
        ulong source = ArgAddress(1);
        ulong size = ArgAddress(2);
        int flags = ArgInt(3);
        if (flags != 0 || size > AbiConstants.KKV_MAX_VALUE)
            return -AbiConstants.EINVAL;
        if (!kernel.Kkv.Initialized)
            return -AbiConstants.EPERM;
        Span<byte> value = stackalloc byte[(int)size]; // at most KKV_MAX_VALUE, one page
        if (size > 0 && !Me.PageTable!.CopyIn(kernel.Memory, value, source))
            return -AbiConstants.EFAULT;
        return kernel.Kkv.Put(key, value, flags);
    }

    /// <summary>
    /// kkv_get(key, val, size, flags): copies min(size, the value's size) bytes to val. The
    /// destination is checked before anything is taken out (so a bad pointer is EFAULT and the
    /// pair stays); only bytes that can be copied are checked (a value is never longer than
    /// KKV_MAX_VALUE).
    /// </summary>
    private long KkvGet()
    {
        uint key = (uint)ArgInt(0);
        ulong destination = ArgAddress(1);
        ulong size = ArgAddress(2);
        int flags = ArgInt(3);
        if ((flags & ~AbiConstants.KKV_BLOCK) != 0)
            return -AbiConstants.EINVAL;
        if (!kernel.Kkv.Initialized)
            return -AbiConstants.EPERM;
        PageTable table = Me.PageTable!;
        ulong checkable = Math.Min(size, AbiConstants.KKV_MAX_VALUE);
        if (checkable > 0 && !table.Accessible(destination, checkable, write: true))
            return -AbiConstants.EFAULT;
        var user = new UserDestination(table, kernel.Memory, destination, size);
        return kernel.Kkv.Get(key, flags, ref user);
    }

    /// <summary>A get's user buffer: min(size, the value's length) bytes go to address.</summary>
    private readonly struct UserDestination(PageTable table, PhysicalMemory memory, ulong address, ulong size) : IKkvDestination
    {
        public bool Deliver(ReadOnlySpan<byte> value)
        {
            int n = (int)Math.Min((ulong)value.Length, size);
            return n == 0 || table.CopyOut(memory, address, value[..n]);
        }
    }
}
