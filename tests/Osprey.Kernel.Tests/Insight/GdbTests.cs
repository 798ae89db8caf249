using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Osprey.Gdb;
using Osprey.Kernel.Tests.EndToEnd;

namespace Osprey.Kernel.Tests.Insight;

/// <summary>
/// The gdb stub end to end: gdb-multiarch in batch mode debugging gdbdemo (a breakpoint at
/// main, registers, a step, the stack, threads, a breakpoint hit in two threads but not in a
/// forked child running the same code, the exit), and a raw protocol client for Ctrl-C and
/// memory writes.
/// </summary>
public class GdbTests
{
    private static readonly string BuildDirectory = Path.GetDirectoryName(DefaultImage.Path)!;
    private static readonly string GdbdemoElf = Path.Combine(BuildDirectory, "user", "xv6", "gdbdemo");

    [Fact]
    public void GdbMultiarchDebugsAMultithreadedProgram()
    {
        string gdbOutput = "";
        RunResult r = Debugged(3, ["gdbdemo"], port =>
        {
            string script = $"""
                set pagination off
                set confirm off
                file {GdbdemoElf}
                target remote localhost:{port}
                break main
                continue
                echo ==registers==\n
                info registers
                echo ==stepi==\n
                stepi
                info registers pc
                echo ==stack==\n
                x/4x $sp
                echo ==worker==\n
                break worker
                continue
                info threads
                continue
                echo ==exit==\n
                delete
                continue
                """;
            gdbOutput = RunGdb(script);
        });
        Assert.True(r.Status == 0, $"{r}\n--- gdb ---\n{gdbOutput}");
        Assert.Contains("gdbdemo: child ran worker", r.Output);
        Assert.Contains("gdbdemo: ok 1501500", r.Output);

        string Section(string name)
        {
            int start = gdbOutput.IndexOf($"=={name}==", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no {name} section in:\n{gdbOutput}");
            int end = gdbOutput.IndexOf("==", start + name.Length + 4, StringComparison.Ordinal);
            return end < 0 ? gdbOutput[start..] : gdbOutput[start..end];
        }
        Match main = Regex.Match(gdbOutput, @"Breakpoint 1, (0x[0-9a-f]+) in main \(\)");
        Assert.True(main.Success, gdbOutput);
        string registers = Section("registers");
        Assert.Matches(@"\nsp\s+0x[0-9a-f]+", registers);
        Assert.Matches(@"\na0\s+0x1\s+1\n", registers); // argc
        ulong mainPc = Convert.ToUInt64(main.Groups[1].Value, 16);
        Match pc = Regex.Match(registers, @"\npc\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+ <main\+\d+>");
        Assert.True(pc.Success && Convert.ToUInt64(pc.Groups[1].Value, 16) == mainPc, registers);
        Match stepped = Regex.Match(Section("stepi"), @"\npc\s+(0x[0-9a-f]+)");
        Assert.True(stepped.Success && Convert.ToUInt64(stepped.Groups[1].Value, 16) != mainPc, gdbOutput);
        Match sp = Regex.Match(registers, @"\nsp\s+(0x[0-9a-f]+)");
        Assert.Matches(@$"\n{sp.Groups[1].Value}:\s+0x[0-9a-f]{{8}}\s+0x[0-9a-f]{{8}}\s+0x[0-9a-f]{{8}}\s+0x[0-9a-f]{{8}}", Section("stack"));

        string worker = Section("worker");
        // Both threads of pid 2 stop in worker; the forked child (pid 3) ran it unstopped.
        Assert.Equal(2, Regex.Matches(worker, @"Thread \d+ hit Breakpoint 2, 0x[0-9a-f]+ in worker \(\)").Count);
        MatchCollection threads = Regex.Matches(worker, @"\n[* ] +\d+ +Thread (\d+) \(pid (\d+) gdbdemo, \w+\)");
        Assert.True(threads.Count >= 3, worker);
        Assert.All(threads, t => Assert.Equal("2", t.Groups[2].Value));
        Assert.Matches(@"\n\* +\d+ +Thread (\d+) \(pid 2 gdbdemo, \w+\) +0x[0-9a-f]+ in worker \(\)", worker);
        Assert.DoesNotMatch(@"\* +\d+ +Thread 2 \(", worker); // the hit is in a second thread, not the first
        Assert.Contains("[Inferior 1 (Remote target) exited normally]", Section("exit"));
        Assert.Equal(r.FreeFramesBefore, r.FreeFramesAfter);
    }

    [Fact]
    public void CtrlCStopsASpinningProgramAndAMemoryWriteReleasesIt()
    {
        ulong release = SymbolAddress(GdbdemoElf, "release");
        var replies = new List<string>();
        RunResult r = Debugged(3, ["gdbdemo", "spin"], port =>
        {
            using var client = new TcpClient("127.0.0.1", port);
            using var gdb = new RemoteSerialConnection(client.GetStream());
            string Ask(string packet)
            {
                gdb.Send(packet);
                string reply = gdb.Read()!;
                replies.Add($"{packet} -> {reply}");
                return reply;
            }
            Assert.Matches("^T05thread:[0-9a-f]+;$", Ask("?"));
            Assert.StartsWith("PacketSize=", Ask("qSupported:multiprocess+;swbreak+"));
            Assert.Equal("vCont;c;C;s;S", Ask("vCont?"));
            Assert.Contains("riscv:rv64", Ask("qXfer:features:read:target.xml:0,fff"));
            // Running, it spins until it is stopped: only the Ctrl-C can bring a reply.
            gdb.Send("vCont;c");
            client.GetStream().WriteByte(0x03);
            string stop = gdb.Read()!;
            replies.Add($"^C -> {stop}");
            Assert.Matches("^T02thread:[0-9a-f]+;$", stop);
            Assert.Equal("00000000", Ask($"m{release:x},4"));
            Assert.Equal("OK", Ask($"M{release:x},4:01000000"));
            Assert.Equal("01000000", Ask($"m{release:x},4"));
            Assert.Equal("E14", Ask("m3fff000000,4")); // nothing mapped there
            gdb.Send("c");
            Assert.Equal("W00", gdb.Read());
        });
        Assert.True(r.Status == 0, $"{r}\n{string.Join('\n', replies)}");
        Assert.Contains("gdbdemo: released", r.Output);
    }

    /// <summary>Boots with the debugger on and --gdb-wait, serves gdb on a free port, and runs <paramref name="drive"/> against it while the program runs.</summary>
    private static RunResult Debugged(int cpus, string[] argv, Action<int> drive)
    {
        using TemporaryFile image = DefaultImage.Copy() ?? throw new InvalidOperationException($"{DefaultImage.Path} is missing");
        Exception? failure = null;
        Task? driver = null;
        var options = new KernelOptions { Cpus = cpus, Debug = true, DebugWait = true, DiskImage = image.Path };
        RunResult r = KernelRun.Execute(options, null, argv[0], kernel =>
        {
            using var server = new GdbServer(kernel, 0);
            driver = Task.Run(() =>
            {
                try
                {
                    drive(server.Port);
                }
                catch (Exception e)
                {
                    // A failed driver leaves the machine stopped: halt it so the run ends.
                    failure = e;
                    kernel.Halt();
                }
            });
            return kernel.Run(argv[0], argv);
        });
        if (driver != null && !driver.Wait(TimeSpan.FromSeconds(100)))
            throw new TimeoutException("the gdb driver did not finish");
        if (failure != null)
            throw new Xunit.Sdk.XunitException($"{failure}\n--- run ---\n{r}");
        return r;
    }

    private static string RunGdb(string script)
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, script);
        try
        {
            var start = new ProcessStartInfo("gdb-multiarch", ["-batch", "-nx", "-x", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process gdb = Process.Start(start)!;
            Task<string> output = gdb.StandardOutput.ReadToEndAsync();
            Task<string> errors = gdb.StandardError.ReadToEndAsync();
            if (!gdb.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                gdb.Kill();
                throw new TimeoutException($"gdb-multiarch did not finish:\n{output.Result}{errors.Result}");
            }
            return output.Result + errors.Result;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static ulong SymbolAddress(string elf, string symbol)
    {
        var start = new ProcessStartInfo("riscv64-unknown-elf-nm", [elf]) { RedirectStandardOutput = true };
        using Process nm = Process.Start(start)!;
        string listing = nm.StandardOutput.ReadToEnd();
        nm.WaitForExit();
        Match m = Regex.Match(listing, @$"(?m)^([0-9a-f]+) \w {Regex.Escape(symbol)}$");
        Assert.True(m.Success, $"no {symbol} in {elf}");
        return Convert.ToUInt64(m.Groups[1].Value, 16);
    }
}
