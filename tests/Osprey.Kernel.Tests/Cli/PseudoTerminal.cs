using System.Diagnostics;
using System.Text;

namespace Osprey.Kernel.Tests.Cli;

/// <summary>
/// A shell command run on a fresh pseudo-terminal by util-linux's <c>script</c>, so that it
/// sees a real terminal on its standard input and output, as a person's would be. The test
/// types bytes into it and waits for what the terminal shows; the output is kept as Latin-1
/// text so that control bytes come through one char each.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly Process _script;
    private readonly StringBuilder _output = new();
    private readonly Thread _reader;
    private bool _ended;

    private PseudoTerminal(Process script)
    {
        _script = script;
        _reader = new Thread(ReadAll) { IsBackground = true, Name = "pty-output" };
        _reader.Start();
    }

    /// <summary>The osprey command as the tests run it: the build next to the tests, on the dotnet that runs them.</summary>
    public static string Osprey => $"dotnet {Quote(Path.Combine(AppContext.BaseDirectory, "osprey.dll"))}";

    public static PseudoTerminal Start(string shellCommand)
    {
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-q", "-e", "-c", shellCommand, "/dev/null"])
            start.ArgumentList.Add(arg);
        start.Environment["SHELL"] = "/bin/sh";
        // No terminfo capabilities: .NET then writes no keypad-mode sequences of its own.
        start.Environment["TERM"] = "dumb";
        return new PseudoTerminal(Process.Start(start) ?? throw new InvalidOperationException("cannot start script (util-linux)"));
    }

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public void Type(string keys)
    {
        _script.StandardInput.BaseStream.Write(Encoding.Latin1.GetBytes(keys));
        _script.StandardInput.BaseStream.Flush();
    }

    /// <summary>Waits until the terminal has shown <paramref name="text"/>; fails with the output so far if it never does.</summary>
    public void WaitFor(string text)
    {
        DateTime end = DateTime.UtcNow + Deadline;
        lock (_output)
        {
            while (!_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                TimeSpan left = end - DateTime.UtcNow;
                if (_ended || left <= TimeSpan.Zero)
                    throw new TimeoutException($"the terminal never showed {Show(text)}; it showed:\n{Show(_output.ToString())}");
                Monitor.Wait(_output, left);
            }
        }
    }

    /// <summary>Waits for the command to end; returns its exit status.</summary>
    public int WaitForExit()
    {
        if (!_script.WaitForExit(Deadline))
            throw new TimeoutException($"the command did not end; the terminal showed:\n{Show(Output)}");
        _reader.Join(Deadline);
        return _script.ExitCode;
    }

    /// <summary>Control bytes made visible, for failure messages.</summary>
    public static string Show(string s) =>
        string.Concat(s.Select(c => c is '\n' ? "\\n\n" : c < ' ' || c == '\x7f' ? $"\\x{(int)c:x2}" : c.ToString()));

    public void Dispose()
    {
        if (!_script.HasExited)
            _script.Kill(entireProcessTree: true);
        _script.Dispose();
    }

    private void ReadAll()
    {
        var buffer = new byte[4096];
        Stream stdout = _script.StandardOutput.BaseStream;
        int n;
        while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
        {
            lock (_output)
            {
                _output.Append(Encoding.Latin1.GetString(buffer, 0, n));
                Monitor.PulseAll(_output);
            }
        }
        lock (_output)
        {
            _ended = true;
            Monitor.PulseAll(_output);
        }
    }
}
