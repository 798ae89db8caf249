using Osprey.Machine.Cpu;
using Osprey.Machine.Memory;

namespace Osprey.Emulation;

/// <summary>
/// The two system calls <c>osprey emulate</c> answers, write and exit, under xv6 or Linux
/// numbers. Anything else returns an error (-1, or -ENOSYS under Linux numbers) after one
/// note on the diagnostics stream, so a program that probes for calls keeps running.
/// </summary>
internal sealed class SystemCallShim(Abi abi, Hart hart, Stream stdout, Stream stderr, TextWriter diagnostics, string name)
{
    private const int Xv6Exit = 2, Xv6Write = 16;
    private const int LinuxWrite = 64, LinuxExit = 93, LinuxExitGroup = 94;
    private const long EBADF = 9, EFAULT = 14, EINVAL = 22, ENOSYS = 38;
    private const int A0 = 10, A1 = 11, A2 = 12, A7 = 17;

    private readonly HashSet<ulong> _reported = new();
    private readonly byte[] _buffer = new byte[PhysicalMemory.PageSize];

    /// <summary>Handles the ecall in the hart's registers. True when the program exited, with its status.</summary>
    public bool Handle(out int status)
    {
        status = 0;
        ulong number = hart[A7];
        bool linux = abi == Abi.Linux;
        if ((linux && (number == LinuxExit || number == LinuxExitGroup)) || (!linux && number == Xv6Exit))
        {
            status = (int)hart[A0];
            return true;
        }
        if ((linux && number == LinuxWrite) || (!linux && number == Xv6Write))
            hart[A0] = (ulong)Write((long)hart[A0], hart[A1], (long)hart[A2]);
        else
        {
            if (_reported.Add(number))
                diagnostics.WriteLine($"osprey emulate: {name}: system call {number} is not supported here (only write and exit){AbiHint(number)}");
            hart[A0] = (ulong)Error(ENOSYS);
        }
        return false;
    }

    private long Write(long fd, ulong buffer, long length)
    {
        Stream? target = fd switch { 1 => stdout, 2 => stderr, _ => null };
        if (target == null)
            return Error(EBADF);
        if (length < 0)
            return Error(EINVAL);
        if (buffer + (ulong)length < buffer)
            return Error(EFAULT);
        // Check the whole buffer before writing any of it, so a bad pointer writes nothing.
        for (ulong page = buffer & ~0xFFFUL; page < buffer + (ulong)length; page += PhysicalMemory.PageSize)
        {
            if (!hart.Mmu.TryTranslate(page, AccessType.Load, out _, out _))
                return Error(EFAULT);
        }
        ulong va = buffer;
        long left = length;
        while (left > 0)
        {
            int chunk = (int)Math.Min(left, PhysicalMemory.PageSize - (long)(va & 0xFFF));
            hart.Mmu.TryTranslate(va, AccessType.Load, out ulong pa, out _);
            hart.Memory.Read(pa, _buffer.AsSpan(0, chunk));
            target.Write(_buffer, 0, chunk);
            va += (ulong)chunk;
            left -= chunk;
        }
        return length;
    }

    /// <summary>A program built for the other numbering usually shows itself by calling the other's write or exit.</summary>
    private string AbiHint(ulong number) => abi switch
    {
        Abi.Xv6 when number is LinuxWrite or LinuxExit or LinuxExitGroup => "; a Linux-numbered program needs --abi linux",
        Abi.Linux when number is Xv6Write or Xv6Exit => "; an xv6-numbered program needs --abi xv6",
        _ => "",
    };

    private long Error(long errno) => abi == Abi.Linux ? -errno : -1;
}
