using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// The observers, shared by run and boot: <c>--strace [PID...]</c> (every system call of those
/// tasks, or of all, on standard error as strace prints them) and <c>--trace FILE.json</c> (a
/// Chrome trace-event timeline that ui.perfetto.dev opens). The trace file is opened before the
/// boot, so a path that cannot be written is one line and exit 2, and closed after the kernel
/// is disposed (which ends the JSON).
/// </summary>
public sealed class InsightOptions
{
    private readonly Option<int[]?> _strace = new("--strace")
    {
        HelpName = "PID...",
        Description = "Print every system call of the given pids (of all tasks if none) on standard error, as strace does",
        // JoinStracePids has made the pids one token ("all", or "5,7"), so that the parser
        // cannot take the program's name under run for a pid.
        CustomParser = r =>
        {
            string value = r.Tokens is [var token] ? token.Value : "";
            if (value == AllPids)
                return [];
            var pids = new List<int>();
            foreach (string part in value.Split(','))
            {
                if (!int.TryParse(part, out int pid) || pid < 1)
                {
                    r.AddError($"--strace: {part} is not a pid (pids are 1 or more)");
                    return null;
                }
                pids.Add(pid);
            }
            return [.. pids];
        },
    };

    private const string AllPids = "all";

    private readonly Option<string?> _trace = new("--trace")
    {
        HelpName = "FILE.json",
        Description = "Write a timeline of the run (CPUs, threads, system calls, faults, interrupts, lock waits, wake-ups) as Chrome trace-event JSON for ui.perfetto.dev",
    };

    private readonly Option<int?> _gdb = new("--gdb")
    {
        HelpName = "PORT",
        Description = "Serve gdb's remote protocol on localhost:PORT (0: any free port); in gdb-multiarch: target remote localhost:PORT",
    };

    private readonly Option<bool> _gdbWait = new("--gdb-wait")
    {
        Description = "With --gdb: run no user instruction until gdb has connected and continued",
    };

    private FileStream? _traceFile;

    public InsightOptions()
    {
        _gdb.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } port && port is < 0 or > 65535)
                r.AddError("--gdb must be a TCP port, 0..65535");
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_strace);
        command.Options.Add(_trace);
        command.Options.Add(_gdb);
        command.Options.Add(_gdbWait);
        command.Validators.Add(r =>
        {
            if (r.GetValue(_gdbWait) && r.GetValue(_gdb) == null)
                r.AddError("--gdb-wait needs --gdb PORT");
        });
    }

    /// <summary>
    /// <paramref name="body"/>, with the gdb stub listening around it when --gdb was given (a
    /// port that cannot be had is one line and exit 2).
    /// </summary>
    public Func<OspreyKernel, int> Around(ParseResult parse, Func<OspreyKernel, int> body)
    {
        if (parse.GetValue(_gdb) is not { } port)
            return body;
        return kernel =>
        {
            Gdb.GdbServer server;
            try
            {
                server = new Gdb.GdbServer(kernel, port);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"osprey: --gdb {port}: {e.Message}");
                return CommandLine.UsageError;
            }
            using (server)
            {
                Console.Error.WriteLine($"osprey: gdb stub on localhost:{server.Port} (gdb-multiarch PROGRAM -ex 'target remote localhost:{server.Port}')"
                    + (parse.GetValue(_gdbWait) ? "; waiting for gdb before the first instruction" : ""));
                return body(kernel);
            }
        };
    }

    /// <summary><paramref name="options"/> with the observers as parsed, or null (after one line on standard error) if the trace file cannot be made.</summary>
    public KernelOptions? Apply(ParseResult parse, KernelOptions options)
    {
        if (parse.GetValue(_gdb) != null)
            options = options with { Debug = true, DebugWait = parse.GetValue(_gdbWait) };
        if (parse.GetResult(_strace) != null)
            options = options with { Strace = parse.GetValue(_strace) ?? [] };
        if (parse.GetValue(_trace) is { } path)
        {
            try
            {
                _traceFile = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Console.Error.WriteLine($"osprey: --trace {path}: {e.Message}");
                return null;
            }
            options = options with { TraceOutput = _traceFile };
        }
        return options;
    }

    /// <summary>
    /// Rewrites <c>--strace [PID...]</c> (the pids are the numbers that follow) into one
    /// <c>--strace=5,7</c> (or <c>--strace=all</c>) before parsing, because an option that takes
    /// any number of values would also take the program's name that follows it under run.
    /// </summary>
    public static string[] JoinStracePids(string[] args)
    {
        var joined = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                joined.AddRange(args[i..]);
                break;
            }
            if (args[i] != "--strace")
            {
                joined.Add(args[i]);
                continue;
            }
            var pids = new List<string>();
            while (i + 1 < args.Length && args[i + 1].Length > 0 && args[i + 1].All(char.IsAsciiDigit))
                pids.Add(args[++i]);
            joined.Add($"--strace={(pids.Count == 0 ? AllPids : string.Join(',', pids))}");
        }
        return [.. joined];
    }

    /// <summary>Closes the trace file; called once the kernel is disposed.</summary>
    public void Close() => _traceFile?.Dispose();
}
