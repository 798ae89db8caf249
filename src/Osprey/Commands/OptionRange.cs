using System.CommandLine;

namespace Osprey.Commands;

/// <summary>Range checks for numeric options, shared by the commands.</summary>
public static class OptionRange
{
    /// <summary>
    /// Adds a check that the option's number lies in min..max. Only a number is range-checked:
    /// anything else already has the parser's own error, and asking for its value would throw.
    /// </summary>
    public static Option<int> Within(this Option<int> option, int min, int max, string? unit = null)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && int.TryParse(token.Value, out int n) && (n < min || n > max))
                r.AddError($"{option.Name} must be between {min} and {max}{(unit == null ? "" : " " + unit)}");
        });
        return option;
    }
}
