using System.CommandLine;
using Osprey.Commands;

namespace Osprey;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Osprey: a teaching multiprocessor Unix kernel on an emulated RISC-V machine");
        root.Subcommands.Add(EmulateCommand.Create());
        root.Subcommands.Add(MkfsCommand.Create());
        root.Subcommands.Add(FsckCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(BootCommand.Create());
        root.Subcommands.Add(ExploreCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        return CommandLine.Invoke(root, args);
    }
}
