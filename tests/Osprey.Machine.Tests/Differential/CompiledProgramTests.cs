using System.Text;
using Xunit.Abstractions;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Every Linux-ABI program the Makefiles build (build/user/linux, build/bench/guest) must
/// print the same bytes and end with the same status under qemu-riscv64 and Osprey's machine.
/// The programs are found at test discovery, so a new program is covered without listing it
/// here; an empty or missing directory fails rather than passing with nothing compared.
/// </summary>
public sealed class CompiledProgramTests(ITestOutputHelper output)
{
    private const string UserDirectory = "user/linux";
    private const string BenchDirectory = "bench/guest";

    /// <summary>Extra argument lists for programs whose behaviour depends on them; every program also runs with none.</summary>
    private static readonly Dictionary<string, string[][]> ExtraArguments = new()
    {
        ["hello"] = [["one", "two words", ""]],
        ["exitcode"] = [["42"], ["300"]],
        ["fault"] = [["store"], ["text"], ["exec"]],
    };

    public static TheoryData<string, string[]> UserPrograms => Runs(UserDirectory);

    public static TheoryData<string, string[]> BenchPrograms => Runs(BenchDirectory);

    [Fact]
    public void UserProgramsWereBuilt() => AssertBuilt(UserDirectory);

    [Fact]
    public void BenchProgramsWereBuilt() => AssertBuilt(BenchDirectory);

    [Theory]
    [MemberData(nameof(UserPrograms))]
    public void UserProgramMatchesQemu(string program, string[] arguments) =>
        Compare(program, arguments, new OspreyRunner(maxInstructions: 1_000_000_000, memoryBytes: 32UL << 20));

    /// <summary>
    /// The benchmarks run for about a second under qemu and several times longer under
    /// Osprey's interpreter, so they stay out of the default run; ./test runs them.
    /// </summary>
    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(BenchPrograms))]
    public void BenchProgramMatchesQemu(string program, string[] arguments) =>
        Compare(program, arguments, new OspreyRunner(maxInstructions: 50_000_000_000));

    private void Compare(string program, string[] arguments, OspreyRunner osprey)
    {
        string path = Repo.Guest(program);
        RunOutput expected = new QemuRunner(TimeSpan.FromMinutes(2)).Run(path, arguments);
        RunOutput actual = osprey.Run(path, arguments);
        output.WriteLine($"{program} {string.Join(' ', arguments)}: exit {actual.ExitCode}, {actual.Stdout.Length} bytes, " +
            $"{actual.Instructions} instructions");
        if (actual.SameAs(expected))
            return;
        var message = new StringBuilder($"{program} {string.Join(' ', arguments.Select(a => $"'{a}'"))} differs from qemu-riscv64:\n");
        if (expected.ExitCode != actual.ExitCode)
            message.AppendLine($"  exit status: qemu {expected.ExitCode}, osprey {actual.ExitCode}");
        int at = expected.Stdout.AsSpan().CommonPrefixLength(actual.Stdout);
        if (at < Math.Max(expected.Stdout.Length, actual.Stdout.Length))
        {
            message.AppendLine($"  stdout differs from byte {at} (qemu wrote {expected.Stdout.Length} bytes, osprey {actual.Stdout.Length}):");
            message.AppendLine($"    qemu:   {Excerpt(expected.Stdout, at)}");
            message.AppendLine($"    osprey: {Excerpt(actual.Stdout, at)}");
        }
        message.AppendLine($"  qemu said: {expected.Messages.Trim()}");
        message.Append($"  osprey said: {actual.Messages.Trim()}");
        Assert.Fail(message.ToString());
    }

    private static string Excerpt(byte[] bytes, int at)
    {
        int start = Math.Max(0, at - 40);
        string text = Encoding.UTF8.GetString(bytes, start, Math.Min(bytes.Length - start, 120));
        return (start > 0 ? "..." : "") + text.Replace("\n", "\\n");
    }

    private static void AssertBuilt(string directory) =>
        Assert.True(Programs(directory).Any(),
            $"no programs in {Repo.Guest(directory)}: the test project's build runs make there first; " +
            "run `make -C user && make -C bench/guest` and look for errors");

    private static TheoryData<string, string[]> Runs(string directory)
    {
        var data = new TheoryData<string, string[]>();
        foreach (string program in Programs(directory))
        {
            data.Add(program, []);
            foreach (string[] arguments in ExtraArguments.GetValueOrDefault(Path.GetFileName(program), []))
                data.Add(program, arguments);
        }
        return data;
    }

    /// <summary>The ELF files in a build directory, as paths relative to build/ (stable test names).</summary>
    private static IEnumerable<string> Programs(string directory)
    {
        string full = Repo.Guest(directory);
        if (!Directory.Exists(full))
            return [];
        return Directory.EnumerateFiles(full)
            .Where(IsElf)
            .Select(f => $"{directory}/{Path.GetFileName(f)}")
            .Order(StringComparer.Ordinal);
    }

    private static bool IsElf(string path)
    {
        using FileStream f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']);
    }
}
