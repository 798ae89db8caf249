using System.Net;
using System.Net.Sockets;
using Osprey.Kernel;
using Osprey.Kernel.Insight;

namespace Osprey.Gdb;

/// <summary>
/// --gdb PORT: the gdb stub's listener, on localhost only (a debugger can read and change
/// everything, so it is not offered to the network). One gdb at a time; when one detaches
/// another may connect. Started before the machine boots, so that with --gdb-wait the first
/// user instruction waits for gdb.
/// </summary>
public sealed class GdbServer : IDisposable
{
    private readonly OspreyKernel _kernel;
    private readonly Debugger _debugger;
    private readonly TcpListener _listener;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _sessionOver = new(true);
    private volatile TcpClient? _client;
    private volatile bool _disposed;

    public GdbServer(OspreyKernel kernel, int port)
    {
        _kernel = kernel;
        _debugger = kernel.Debugger ?? throw new InvalidOperationException("the kernel was built without a debugger (KernelOptions.Debug)");
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _thread = new Thread(Accept) { IsBackground = true, Name = "osprey-gdb" };
        _thread.Start();
    }

    /// <summary>The port listened on (the one asked for, or the one the host chose for 0).</summary>
    public int Port { get; }

    private void Accept()
    {
        while (!_disposed)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            client.NoDelay = true;
            _sessionOver.Reset();
            _client = client;
            try
            {
                using var gdb = new RemoteSerialConnection(client.GetStream());
                var session = new GdbSession(_kernel, _debugger, gdb);
                session.Serve();
                if (!session.Exited && !_kernel.WaitForHalt(TimeSpan.Zero))
                    _debugger.Detach(); // gone without a word: let the machine run on
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                _debugger.Detach();
            }
            finally
            {
                client.Dispose();
                _client = null;
                _sessionOver.Set();
            }
        }
    }

    /// <summary>Stops listening; a session still open is given a moment to tell gdb the program exited.</summary>
    public void Dispose()
    {
        _disposed = true;
        _listener.Stop();
        if (!_sessionOver.Wait(TimeSpan.FromSeconds(2)))
            _client?.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
        _sessionOver.Dispose();
    }
}
