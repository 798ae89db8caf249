using Osprey.Kernel.Sync;
using Osprey.Kernel.Vm;

namespace Osprey.Kernel.Dev;

/// <summary>
/// /statistics (major <c>STATS</c>, 2, the number the MIT lock lab gives it): reading gives the
/// lab's lock report (<see cref="LockReports.Statistics"/>); writing anything resets every lock's
/// counters. It behaves as the lab's device does, so the lab's own statistics() and kalloctest
/// work unchanged: the first read takes a snapshot of the report, reads hand it out in order,
/// and the read after its end returns -1 (which ends the lab's reading loop) and forgets it, so
/// the next read starts a fresh one. There is one snapshot for all readers, as in the lab; a
/// program that stops before the end leaves the rest for the next reader.
///
/// <see cref="_lock"/> protects the snapshot and the offset into it.
/// </summary>
public sealed class StatisticsDevice(LockRegistry locks) : ICharacterDevice
{
    private readonly Spinlock _lock = new("statistics");
    private byte[]? _snapshot;
    private int _offset;

    public bool IsTerminal => false;

    public int Read(UserBuffer destination, int count)
    {
        _lock.Acquire();
        _snapshot ??= System.Text.Encoding.ASCII.GetBytes(LockReports.Statistics(locks));
        int left = _snapshot.Length - _offset;
        int n;
        if (left <= 0)
        {
            _snapshot = null;
            _offset = 0;
            n = -1;
        }
        else
        {
            n = Math.Min(count, left);
            if (destination.CopyOut(0, _snapshot.AsSpan(_offset, n)))
                _offset += n;
            else
                n = -1;
        }
        _lock.Release();
        return n;
    }

    public int Write(UserBuffer source, int count)
    {
        if (count < 0)
            return -1;
        locks.ResetAll();
        return count;
    }
}
