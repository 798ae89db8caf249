using System.CommandLine;
using Osprey.Kernel;

namespace Osprey.Commands;

/// <summary>
/// <c>--crash-after-writes N</c>, shared by run and boot: the disk stops after N block writes
/// and the machine halts, leaving the image as a power cut at that instant would. Booting the
/// image again shows what the log recovers; <c>osprey fsck IMAGE</c> checks it.
/// </summary>
public static class CrashOption
{
    public const string Error = "--crash-after-writes must be a whole number of writes, at least 1";

    public static Option<long?> Create() => new("--crash-after-writes")
    {
        HelpName = "N",
        Description = "Fault injection: stop the disk after N block writes and halt the machine, as at a power cut (exit status 137); give --disk to keep the image",
        // Parsed here so that anything but a positive number gets one plain line.
        CustomParser = r =>
        {
            if (r.Tokens is [var token] && long.TryParse(token.Value, out long n) && n >= 1)
                return n;
            r.AddError(Error);
            return null;
        },
    };

    /// <summary>The command's exit status: <see cref="OspreyKernel.PowerCutStatus"/> if the disk stopped, else <paramref name="status"/>.</summary>
    public static int Status(OspreyKernel kernel, int status) => kernel.DiskStopped ? OspreyKernel.PowerCutStatus : status;
}
