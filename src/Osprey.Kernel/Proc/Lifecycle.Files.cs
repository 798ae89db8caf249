namespace Osprey.Kernel.Proc;

// Open files and working directories across a task's life: fork's copies, the last thread's close.
public sealed partial class Lifecycle
{
    /// <summary>fork: the child shares each of the parent's open files and its directory.</summary>
    private void InheritFiles(Process parent, Process child)
    {
        parent.FilesLock.Acquire();
        for (int fd = 0; fd < parent.Files.Length; fd++)
        {
            if (parent.Files[fd] is { } f)
                child.Files[fd] = kernel.Files.Dup(f);
        }
        if (parent.Cwd != null)
            child.Cwd = kernel.FileSystem!.Inodes.Dup(parent.Cwd);
        parent.FilesLock.Release();
    }

    /// <summary>
    /// The last thread's exit: closes every descriptor and lets go of the directory. No other
    /// thread is left to race with, and closing may sleep (a last close writes the disk), so
    /// the files lock is not held.
    /// </summary>
    private void CloseFiles(Process p)
    {
        for (int fd = 0; fd < p.Files.Length; fd++)
        {
            if (p.Files[fd] is { } f)
            {
                p.Files[fd] = null;
                kernel.Files.Close(f);
            }
        }
        if (p.Cwd != null)
        {
            kernel.FileSystem!.Inodes.Put(p.Cwd);
            p.Cwd = null;
        }
    }
}
