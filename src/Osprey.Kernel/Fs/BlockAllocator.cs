namespace Osprey.Kernel.Fs;

/// <summary>
/// Data blocks (xv6's balloc and bfree): the free bitmap has one bit per block of the file
/// system, set when the block is in use. mkfs sets the bits of every metadata block, so a scan
/// from block 0 can only hand out data blocks.
///
/// No lock of its own: the bitmap block's buffer lock makes each test-and-set atomic, and the
/// caller is inside a log operation, so the change commits with the change that uses the block
/// (a crash can never leave a block allocated but unused, or used but free).
/// </summary>
public sealed class BlockAllocator(BufferCache buffers, Log log, Superblock superblock, int device)
{
    /// <summary>
    /// Callers may hold a buffer (bmap holds the indirect block, truncation too), so the bitmap
    /// block and the new block are taken as the second buffer: nesting level 1 for lockdep. No
    /// buffer is taken while either is held.
    /// </summary>
    private const int Nested = 1;

    /// <summary>
    /// A zeroed, newly allocated block, or 0 when the disk is full (xv6 panics there; a full disk
    /// is an ordinary error for the write that hit it).
    /// </summary>
    public uint Allocate()
    {
        for (uint base_ = 0; base_ < superblock.Size; base_ += FsLayout.BitsPerBitmapBlock)
        {
            Buffer b = buffers.Read(device, superblock.BitmapBlock(base_), Nested);
            uint limit = Math.Min(FsLayout.BitsPerBitmapBlock, superblock.Size - base_);
            for (uint bit = 0; bit < limit; bit++)
            {
                if (bit % 8 == 0 && b.Data[bit / 8] == 0xFF)
                {
                    bit += 7; // eight blocks in use: skip the byte
                    continue;
                }
                int mask = 1 << (int)(bit % 8);
                if ((b.Data[bit / 8] & mask) != 0)
                    continue;
                b.Data[bit / 8] |= (byte)mask;
                log.Write(b);
                buffers.Release(b);
                Zero(base_ + bit);
                return base_ + bit;
            }
            buffers.Release(b);
        }
        return 0;
    }

    /// <summary>xv6's bfree: marks a block free. Freeing a free block means the disk or the kernel is corrupt.</summary>
    public void Free(uint block)
    {
        if (block < superblock.DataStart || block >= superblock.Size)
            throw Panic.Now($"bfree: block {block} is not a data block ({superblock.DataStart}..{superblock.Size - 1})");
        Buffer b = buffers.Read(device, superblock.BitmapBlock(block), Nested);
        uint bit = block % FsLayout.BitsPerBitmapBlock;
        int mask = 1 << (int)(bit % 8);
        if ((b.Data[bit / 8] & mask) == 0)
        {
            buffers.Release(b);
            throw Panic.Now($"bfree: block {block} is already free");
        }
        b.Data[bit / 8] &= (byte)~mask;
        log.Write(b);
        buffers.Release(b);
    }

    /// <summary>
    /// Zeroes a new block through the log, so that a file never shows a previous owner's bytes,
    /// even after a crash.
    /// </summary>
    private void Zero(uint block)
    {
        Buffer b = buffers.Read(device, block, Nested);
        Array.Clear(b.Data);
        log.Write(b);
        buffers.Release(b);
    }
}
