using System.Net;
using System.Net.Sockets;

namespace Edge.Runtime.Tests.Support;

/// <summary>A loopback TCP forwarder whose connections the test can cut abruptly (RST, no MQTT DISCONNECT).</summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _sockets = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _acceptLoop;
    private volatile bool _accepting = true;
    private int _accepted;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>TCP connections accepted so far (forwarded or refused): every connection attempt of the client.</summary>
    public int AcceptedCount => Volatile.Read(ref _accepted);

    /// <summary>Refuses new connections (they are closed at once) and resets every open one.</summary>
    public void CutAll()
    {
        _accepting = false;
        lock (_gate)
        {
            foreach (var s in _sockets)
            {
                try
                {
                    s.LingerState = new LingerOption(true, 0);
                    s.Close();
                }
                catch (ObjectDisposedException)
                {
                    // already closed
                }
            }

            _sockets.Clear();
        }
    }

    /// <summary>Accepts connections again after <see cref="CutAll"/>.</summary>
    public void Resume() => _accepting = true;

    public async ValueTask DisposeAsync()
    {
        CutAll();
        await _closing.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
            // listener stopped
        }

        _closing.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_closing.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            if (!_accepting)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                continue;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                client.Close();
                upstream.Dispose();
                continue;
            }

            lock (_gate)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
        }
        catch (Exception)
        {
            // cut
        }

        try
        {
            to.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // already gone
        }
    }
}
