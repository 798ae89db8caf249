using Osprey.Kernel.Mem;
using Osprey.Kernel.Proc;
using Osprey.Kernel.Sched;
using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;
using Osprey.Machine.Memory;

namespace Osprey.Kernel.Files;

/// <summary>
/// A pipe (xv6's pipe.c): a ring buffer of <see cref="Size"/> bytes of guest memory from
/// kmalloc (so from the kmalloc-4096 slab cache, one frame each, which keeps what pipes hold
/// visible in the free-frame count), with a read end and a write end. Readers sleep while it
/// is empty and a writer is open; writers sleep while it is full and a reader is open. Writing
/// with no reader left fails, and reading with no writer left returns what remains, then 0.
/// A copy that fails part way (another thread of the task unmapped the buffer after the call
/// checked it) ends the call with what moved so far, or -1 if nothing did: never a 0 that a
/// reader would take for the end of the pipe.
///
/// <see cref="_lock"/> protects the counters and the open flags. <see cref="_bytesRead"/> and
/// <see cref="_bytesWritten"/> only grow; the ring index is the count modulo the size.
/// </summary>
public sealed class Pipe
{
    public const int Size = (int)PhysicalMemory.PageSize;

    private readonly Spinlock _lock = new("pipe");
    private readonly Scheduler _scheduler;
    private readonly SlabAllocator _slabs;
    private readonly PhysicalMemory _memory;
    private readonly ulong _buffer;
    private readonly object _readers = new(), _writers = new();
    private long _bytesRead, _bytesWritten;
    private bool _readOpen = true, _writeOpen = true;

    private Pipe(Scheduler scheduler, SlabAllocator slabs, PhysicalMemory memory, ulong buffer)
    {
        _scheduler = scheduler;
        _slabs = slabs;
        _memory = memory;
        _buffer = buffer;
    }

    /// <summary>A new pipe with both ends open, or null when no memory is free for its buffer.</summary>
    public static Pipe? Create(Scheduler scheduler, SlabAllocator slabs, PhysicalMemory memory)
    {
        ulong buffer = slabs.Kmalloc(Size);
        return buffer == 0 ? null : new Pipe(scheduler, slabs, memory, buffer);
    }

    public int Write(UserBuffer source, int count)
    {
        Span<byte> chunk = stackalloc byte[256];
        int done = 0;
        _lock.Acquire();
        while (done < count)
        {
            if (!_readOpen || CallerKilled())
            {
                _lock.Release();
                return -1;
            }
            long space = Size - (_bytesWritten - _bytesRead);
            if (space == 0)
            {
                _scheduler.Wakeup(_readers);
                _scheduler.Sleep(_writers, _lock);
                continue;
            }
            int n = (int)Math.Min(Math.Min(space, count - done), Math.Min(chunk.Length, Size - _bytesWritten % Size));
            if (!source.CopyIn((ulong)done, chunk[..n]))
            {
                if (done == 0)
                    done = -1;
                break;
            }
            _memory.Write(_buffer + (ulong)(_bytesWritten % Size), chunk[..n]);
            _bytesWritten += n;
            done += n;
        }
        _lock.Release();
        _scheduler.Wakeup(_readers);
        return done;
    }

    public int Read(UserBuffer destination, int count)
    {
        Span<byte> chunk = stackalloc byte[256];
        _lock.Acquire();
        while (_bytesRead == _bytesWritten && _writeOpen)
        {
            if (CallerKilled())
            {
                _lock.Release();
                return -1;
            }
            _scheduler.Sleep(_readers, _lock);
        }
        int done = 0;
        while (done < count && _bytesRead < _bytesWritten)
        {
            int n = (int)Math.Min(Math.Min(_bytesWritten - _bytesRead, count - done), Math.Min(chunk.Length, Size - _bytesRead % Size));
            _memory.Read(_buffer + (ulong)(_bytesRead % Size), chunk[..n]);
            if (!destination.CopyOut((ulong)done, chunk[..n]))
            {
                if (done == 0)
                    done = -1;
                break;
            }
            _bytesRead += n;
            done += n;
        }
        _lock.Release();
        _scheduler.Wakeup(_writers);
        return done;
    }

    /// <summary>Closes one end; the buffer is freed, and the lock retired, when both are closed.</summary>
    public void Close(bool writeEnd)
    {
        _lock.Acquire();
        if (writeEnd)
            _writeOpen = false;
        else
            _readOpen = false;
        bool bothClosed = !_readOpen && !_writeOpen;
        _lock.Release();
        _scheduler.Wakeup(writeEnd ? _readers : _writers);
        if (bothClosed)
        {
            _lock.Retire();
            _slabs.Kfree(_buffer);
        }
    }

    private static bool CallerKilled() => UserThread.CurrentMustEnd;
}
