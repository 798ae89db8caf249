using System.Net.Sockets;
using System.Text;

namespace Osprey.Gdb;

/// <summary>
/// The framing of gdb's remote serial protocol over one TCP connection: a packet is
/// <c>$data#cc</c> (cc the sum of the data bytes mod 256, in hex), each answered with
/// <c>+</c> (or <c>-</c>, resend); in data, <c>}</c> escapes the next byte XOR 0x20. A lone
/// 0x03 byte outside a packet is gdb's Ctrl-C.
/// </summary>
public sealed class RemoteSerialConnection(NetworkStream stream) : IDisposable
{
    /// <summary>What <see cref="Read"/> returns for gdb's Ctrl-C.</summary>
    public const string InterruptRequest = "\u0003";

    private const byte Interrupt = 0x03;

    /// <summary>Whether a byte is waiting (checked while the machine runs, for Ctrl-C).</summary>
    public bool DataAvailable => stream.DataAvailable;

    /// <summary>The next packet's data, <see cref="InterruptRequest"/> for a Ctrl-C, or null when gdb has gone.</summary>
    public string? Read()
    {
        while (true)
        {
            int b = stream.ReadByte();
            switch (b)
            {
                case -1:
                    return null;
                case Interrupt:
                    return InterruptRequest;
                case '$':
                    string? data = ReadBody(out bool good);
                    if (data == null)
                        return null;
                    stream.WriteByte(good ? (byte)'+' : (byte)'-');
                    if (good)
                        return data;
                    break;
                default:
                    break; // acks of our packets, and noise between packets
            }
        }
    }

    private string? ReadBody(out bool good)
    {
        var data = new StringBuilder();
        int sum = 0;
        good = false;
        while (true)
        {
            int b = stream.ReadByte();
            if (b == -1)
                return null;
            if (b == '#')
                break;
            sum += b;
            if (b == '}')
            {
                int next = stream.ReadByte();
                if (next == -1)
                    return null;
                sum += next;
                b = next ^ 0x20;
            }
            data.Append((char)b);
        }
        int hi = stream.ReadByte(), lo = stream.ReadByte();
        if (lo == -1)
            return null;
        good = int.TryParse($"{(char)hi}{(char)lo}", System.Globalization.NumberStyles.HexNumber, null, out int check) && check == (sum & 0xFF);
        return data.ToString();
    }

    /// <summary>Sends one packet and waits for gdb's acknowledgement, resending on a <c>-</c>.</summary>
    public void Send(string data)
    {
        var packet = new StringBuilder("$");
        int sum = 0;
        foreach (char c in data)
        {
            if (c is '$' or '#' or '}' or '*')
            {
                packet.Append('}');
                sum += '}';
                char escaped = (char)(c ^ 0x20);
                packet.Append(escaped);
                sum += escaped;
            }
            else
            {
                packet.Append(c);
                sum += c;
            }
        }
        packet.Append('#').Append((sum & 0xFF).ToString("x2"));
        byte[] bytes = Encoding.Latin1.GetBytes(packet.ToString());
        for (int attempt = 0; attempt < 5; attempt++)
        {
            stream.Write(bytes);
            stream.Flush();
            int ack;
            do
            {
                ack = stream.ReadByte();
            } while (ack is not ('+' or '-' or -1));
            if (ack != '-')
                return;
        }
    }

    public void Dispose() => stream.Dispose();
}
