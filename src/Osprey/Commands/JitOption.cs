using System.CommandLine;
using Osprey.Machine.Jit;

namespace Osprey.Commands;

/// <summary>
/// <c>--jit off|on|forced</c>, shared by run, boot and emulate: the interpreter alone, the JIT
/// tier for code that runs often (the default), or every block translated the first time it
/// runs. The default can also come from the environment (OSPREY_JIT), as the tests use it.
/// </summary>
public static class JitOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--jit")
        {
            Description = $"How the harts run guest code: off (interpreter only), on (translate hot code to host code) or forced (translate every block at once); default from {JitOptions.ModeVariable}, else on",
            DefaultValueFactory = _ => JitOptions.Name(JitOptions.Default.Mode),
        };
        option.AcceptOnlyFromAmong("off", "on", "forced");
        return option;
    }

    /// <summary>The machine's options for the parsed <c>--jit</c> value.</summary>
    public static JitOptions Options(string? value, TextWriter? dump = null) => JitOptions.Default with
    {
        Mode = JitOptions.ParseMode(value ?? "") ?? JitOptions.Default.Mode,
        Dump = dump,
    };
}
