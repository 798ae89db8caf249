using Osprey.Machine.Cpu;

namespace Osprey.Machine.Devices;

/// <summary>
/// The console's serial port. Output goes straight to a host stream. Input arrives from a host
/// thread (a terminal reader, or a test) into a receive queue, and each arrival raises the
/// external interrupt line of <see cref="InterruptTarget"/>; the kernel's handler drains the
/// queue with <see cref="TryReceive"/>, as a driver drains a UART's receive register.
/// </summary>
public sealed class Uart
{
    private readonly Stream _output;
    private readonly Queue<byte> _received = new();
    private readonly object _gate = new();

    public Uart(Stream output)
    {
        _output = output;
    }

    /// <summary>The hart whose external interrupt line input raises (the kernel picks one).</summary>
    public Hart? InterruptTarget { get; set; }

    /// <summary>Bytes transmitted since creation.</summary>
    public long BytesWritten { get; private set; }

    public void Transmit(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _output.Write(bytes);
            _output.Flush();
            BytesWritten += bytes.Length;
        }
    }

    /// <summary>Host side: input arrives on the line.</summary>
    public void Deliver(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            foreach (byte b in bytes)
                _received.Enqueue(b);
        }
        InterruptTarget?.RaiseInterrupt(InterruptLine.External);
    }

    /// <summary>True once the host side has no more input to give (end of a piped file).</summary>
    public bool InputClosed { get; private set; }

    /// <summary>Host side: the input has ended.</summary>
    public void CloseInput()
    {
        InputClosed = true;
        InterruptTarget?.RaiseInterrupt(InterruptLine.External);
    }

    /// <summary>Kernel side: the next received byte, if any.</summary>
    public bool TryReceive(out byte value)
    {
        lock (_gate)
            return _received.TryDequeue(out value);
    }
}
