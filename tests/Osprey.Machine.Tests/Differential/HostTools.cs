using System.Diagnostics;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// The host programs the differential tests need, found on PATH. A missing one fails the
/// test with how to install it: a differential test that quietly skipped would look like a
/// pass.
/// </summary>
internal static class HostTools
{
    private const string Install =
        "Install it (Debian: sudo apt-get install qemu-user gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf), " +
        "or run ./test, which installs what is missing.";

    public static string Qemu => Require("qemu-riscv64", "qemu-riscv64 (package qemu-user)");

    public static string Gcc => Require("riscv64-unknown-elf-gcc", "riscv64-unknown-elf-gcc (package gcc-riscv64-unknown-elf)");

    private static string Require(string name, string what)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail($"{what} is not on PATH; the differential tests compare Osprey's machine against it. {Install}");
        throw new UnreachableException();
    }

    /// <summary>
    /// Runs a host program with an empty environment and no input, capturing its output.
    /// A program still running after <paramref name="timeout"/> is killed and reported as a failure.
    /// </summary>
    /// <param name="keepPath">Pass PATH through (gcc needs it to find as and ld).</param>
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout,
        bool keepPath = false)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        // qemu-riscv64 hands its environment to the guest and reads QEMU_* settings from it;
        // Osprey's emulator gives the guest none, so the guest gets none under qemu either.
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        start.Environment.Clear();
        if (keepPath)
            start.Environment["PATH"] = path;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> copyErr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
        }
        copyOut.GetAwaiter().GetResult();
        return (process.ExitCode, stdout.ToArray(), copyErr.GetAwaiter().GetResult());
    }

    /// <summary>Assembles and links a Linux-ABI static program from assembly source; returns the ELF's path.</summary>
    public static string Assemble(string source, string directory, string name)
    {
        string asm = Path.Combine(directory, name + ".S");
        string elf = Path.Combine(directory, name);
        File.WriteAllText(asm, source);
        string[] arguments = ["-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-static", "-Wl,--no-relax", "-o", elf, asm];
        ReferenceCache.Assembled(source + "\0" + string.Join(' ', arguments[..^3]), elf, () =>
        {
            (int exit, _, string errors) = Run(Gcc, arguments, TimeSpan.FromMinutes(2), keepPath: true);
            if (exit != 0)
                Assert.Fail($"riscv64-unknown-elf-gcc failed on {asm}:\n{errors}");
        });
        return elf;
    }
}
