using System.Net.Sockets;

namespace Edge.Runtime.Vehicle;

/// <summary>NMEA over TCP (gpsd raw port, a serial-to-network bridge, a phone app).</summary>
public sealed class TcpNmeaSource(string host, int port) : INmeaSource
{
    public string Description => $"tcp {host}:{port}";

    public async ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(client.Client, ownsSocket: true);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
