namespace Osprey.Terminal;

/// <summary>
/// The keys <c>osprey boot</c> keeps for itself on a raw terminal, as QEMU does: Ctrl-A, then a
/// key. Everything else, ^C included, goes to the guest unchanged: in raw mode the host sends
/// no signals, and xv6 has none either, so ^C is just a byte the guest may act on, and the
/// one way out that always works is Ctrl-A x.
///
/// Ctrl-A x (or X) powers off; Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A h (or ?) prints the
/// list. Ctrl-A followed by any other key sends both, so nothing typed is lost. The state
/// carries across calls to <see cref="Feed"/>, because a terminal may deliver the two keys of
/// an escape in separate reads.
/// </summary>
public sealed class ConsoleEscape(Action powerOff, Action help)
{
    public const byte Prefix = 0x01;

    /// <summary>The line printed at boot.</summary>
    public const string Hint = "osprey: Ctrl-A x powers off (Ctrl-A h for help)";

    public const string HelpText =
        "osprey: Ctrl-A x       power off\n" +
        "osprey: Ctrl-A Ctrl-A  send Ctrl-A to the guest\n" +
        "osprey: Ctrl-A h       this help\n" +
        "osprey: every other key, ^C included, goes to the guest\n";

    private bool _afterPrefix;

    /// <summary>True once Ctrl-A x was typed; the guest sees nothing more after it.</summary>
    public bool PoweredOff { get; private set; }

    /// <summary>Passes <paramref name="typed"/> through, appending what the guest should see to <paramref name="toGuest"/>.</summary>
    public void Feed(ReadOnlySpan<byte> typed, ICollection<byte> toGuest)
    {
        foreach (byte b in typed)
        {
            if (PoweredOff)
                return;
            Accept(b, toGuest);
        }
    }

    /// <summary>Input has ended: a Ctrl-A still waiting for its key goes to the guest after all.</summary>
    public void End(ICollection<byte> toGuest)
    {
        if (_afterPrefix && !PoweredOff)
            toGuest.Add(Prefix);
        _afterPrefix = false;
    }

    private void Accept(byte b, ICollection<byte> toGuest)
    {
        if (!_afterPrefix)
        {
            if (b == Prefix)
                _afterPrefix = true;
            else
                toGuest.Add(b);
            return;
        }
        _afterPrefix = false;
        switch (b)
        {
            case (byte)'x' or (byte)'X':
                PoweredOff = true;
                powerOff();
                break;
            case (byte)'h' or (byte)'H' or (byte)'?':
                help();
                break;
            case Prefix:
                toGuest.Add(Prefix);
                break;
            default:
                toGuest.Add(Prefix);
                toGuest.Add(b);
                break;
        }
    }
}
