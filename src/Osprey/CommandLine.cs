using System.CommandLine;

namespace Osprey;

/// <summary>Parses and runs a command; bad input gets one line on stderr and exit status 2.</summary>
public static class CommandLine
{
    public const int UsageError = 2;

    public static int Invoke(RootCommand root, string[] args)
    {
        args = Commands.InsightOptions.JoinStracePids(args);
        ParseResult result = root.Parse(args);
        // Help and version requests are not errors even though they end parsing early.
        if (result.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
        {
            Console.Error.WriteLine($"osprey: {result.Errors[0].Message} (see 'osprey --help')");
            return UsageError;
        }
        return result.Invoke();
    }
}
