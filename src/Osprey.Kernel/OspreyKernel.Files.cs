using Osprey.Kernel.Proc;

namespace Osprey.Kernel;

// Open files across process lifetimes. Placeholders until the file layer lands.
public sealed partial class OspreyKernel
{
    private static void OpenStandardFiles(Process p)
    {
        _ = p;
    }

    private static void InheritFiles(Process parent, Process child)
    {
        _ = parent;
        _ = child;
    }

    private static void CloseFiles(Process p)
    {
        _ = p;
    }
}
