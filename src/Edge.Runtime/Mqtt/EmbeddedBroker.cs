using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Server;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// An in-process MQTT broker (MQTTnet.Server) on 127.0.0.1, used when no external broker is configured. Binds the
/// preferred port, or a free one (logged) when that is busy. Plain TCP, no authentication: loopback only.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ILogger _logger;

    private EmbeddedBroker(MqttServer server, int port, ILogger logger)
    {
        _server = server;
        Port = port;
        _logger = logger;
    }

    public int Port { get; }

    public string Host => IPAddress.Loopback.ToString();

    /// <summary>Starts the broker on <paramref name="preferredPort"/> (0 = any free port), falling back to a free port when busy.</summary>
    public static async Task<EmbeddedBroker> StartAsync(int preferredPort, ILogger? logger, CancellationToken cancellationToken)
    {
        logger ??= NullLogger.Instance;
        var factory = new MqttServerFactory();
        var port = preferredPort;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (port == 0)
            {
                port = FreeLoopbackPort();
            }

            var options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port)
                .Build();
            var server = factory.CreateMqttServer(options);
            try
            {
                await server.StartAsync().ConfigureAwait(false);
                logger.LogInformation("Embedded MQTT broker listening on 127.0.0.1:{Port}", port);
                return new EmbeddedBroker(server, port, logger);
            }
            catch (SocketException ex) when (attempt < 5)
            {
                server.Dispose();
                logger.LogWarning("Embedded MQTT broker: port {Port} is not available ({Error}); using a free port instead", port, ex.SocketErrorCode);
                port = 0;
            }
        }
    }

    public async Task StopAsync()
    {
        if (_server.IsStarted)
        {
            await _server.StopAsync().ConfigureAwait(false);
            _logger.LogInformation("Embedded MQTT broker on 127.0.0.1:{Port} stopped", Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
