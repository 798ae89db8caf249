using System.Security.Cryptography;
using System.Text;

namespace Osprey.Machine.Tests.Differential;

/// <summary>
/// Keeps what gcc and qemu-riscv64 produce for the differential tests in the directory named
/// by <see cref="Variable"/>, so that ./test, which runs these suites once per JIT tier, pays for
/// the cross compiler and the reference emulator once: a program assembled from the same
/// source is the same ELF, and qemu run on the same ELF with the same arguments gives the same
/// output. Keyed by a hash of exactly those inputs. Without the variable nothing is kept.
/// ./test makes a fresh directory per run and removes it after, so nothing outlives a run.
/// </summary>
internal static class ReferenceCache
{
    public const string Variable = "OSPREY_DIFFERENTIAL_CACHE";

    private static readonly string? Directory = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } d ? d : null;

    /// <summary>The ELF that <paramref name="make"/> would write at <paramref name="elf"/> from <paramref name="source"/>: copied from the cache, or made and kept.</summary>
    public static void Assembled(string source, string elf, Action make)
    {
        if (Directory == null)
        {
            make();
            return;
        }
        string kept = Path.Combine(Directory, Key("gcc", Encoding.UTF8.GetBytes(source)) + ".elf");
        if (!File.Exists(kept))
        {
            make();
            Keep(elf, kept);
            return;
        }
        File.Copy(kept, elf, overwrite: true);
    }

    /// <summary>qemu's output for <paramref name="elf"/> with <paramref name="arguments"/>: from the cache, or from <paramref name="run"/> and kept.</summary>
    public static RunOutput Reference(string elf, IReadOnlyList<string> arguments, Func<RunOutput> run)
    {
        if (Directory == null)
            return run();
        byte[] input = [.. File.ReadAllBytes(elf), .. Encoding.UTF8.GetBytes(string.Join('\0', arguments))];
        string kept = Path.Combine(Directory, Key("qemu", input) + ".out");
        if (File.Exists(kept))
        {
            string[] parts = File.ReadAllText(kept).Split('\n', 3);
            return new RunOutput(int.Parse(parts[0]), Convert.FromBase64String(parts[1]), parts[2]);
        }
        RunOutput output = run();
        string temporary = kept + "." + Environment.CurrentManagedThreadId + ".tmp";
        File.WriteAllText(temporary, $"{output.ExitCode}\n{Convert.ToBase64String(output.Stdout)}\n{output.Messages}");
        File.Move(temporary, kept, overwrite: true);
        return output;
    }

    private static void Keep(string file, string kept)
    {
        string temporary = kept + "." + Environment.CurrentManagedThreadId + ".tmp";
        File.Copy(file, temporary, overwrite: true);
        File.Move(temporary, kept, overwrite: true);
    }

    private static string Key(string tool, byte[] input) =>
        tool + "-" + Convert.ToHexString(SHA256.HashData(input))[..32];
}
