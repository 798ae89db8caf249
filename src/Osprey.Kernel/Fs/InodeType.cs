namespace Osprey.Kernel.Fs;

/// <summary>What an inode holds: the "type" field of a dinode and of struct stat (T_DIR, T_FILE, T_DEVICE).</summary>
public enum InodeType : short
{
    /// <summary>A free inode on disk.</summary>
    Free = 0,
    Directory = 1,
    File = 2,
    Device = 3,
}
