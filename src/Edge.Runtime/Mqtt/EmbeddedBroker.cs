using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// An in-process MQTT broker (MQTTnet.Server) on 127.0.0.1, used when no external broker is configured. Binds the
/// preferred port, or a free one (logged) when that is busy. Plain TCP on loopback. With an
/// <see cref="EmbeddedBrokerAccess"/> only the runtime's own client may publish under <c>&lt;prefix&gt;/&lt;device id&gt;/</c>
/// (others are refused with <c>NotAuthorized</c>, their last wills there dropped); anyone may subscribe. MQTT 5 clients
/// that send no client id (e.g. <c>mosquitto_sub -V mqttv5</c> without <c>-i</c>) get one assigned; MQTTnet refuses an
/// empty client id on MQTT 3.1.1.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ILogger _logger;
    private long _refusals;

    private EmbeddedBroker(MqttServer server, int port, ILogger logger)
    {
        _server = server;
        Port = port;
        _logger = logger;
    }

    public int Port { get; }

    public string Host => IPAddress.Loopback.ToString();

    /// <summary>Refused connections and dropped publishes since start (foreign clients on protected topics).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Starts an open broker (anyone may publish anything) on <paramref name="preferredPort"/> (0 = any free port), falling back to a free port when busy.</summary>
    public static Task<EmbeddedBroker> StartAsync(int preferredPort, ILogger? logger, CancellationToken cancellationToken) =>
        StartAsync(preferredPort, null, logger, cancellationToken);

    /// <summary>Starts the broker on <paramref name="preferredPort"/> (0 = any free port), falling back to a free port when busy; <paramref name="access"/> restricts publishing (null = open).</summary>
    public static async Task<EmbeddedBroker> StartAsync(int preferredPort, EmbeddedBrokerAccess? access, ILogger? logger, CancellationToken cancellationToken)
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
            var broker = new EmbeddedBroker(server, port, logger);
            server.ValidatingConnectionAsync += e => broker.ValidateConnection(e, access);
            if (access is not null)
            {
                server.InterceptingPublishAsync += e => broker.InterceptPublish(e, access);
            }

            try
            {
                await server.StartAsync().ConfigureAwait(false);
                logger.LogInformation("Embedded MQTT broker listening on 127.0.0.1:{Port}{Access}", port,
                    access is null ? string.Empty : $"; only {access.ClientId} may publish under {access.ProtectedRoot}/");
                return broker;
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

    private Task ValidateConnection(ValidatingConnectionEventArgs e, EmbeddedBrokerAccess? access)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = $"anon-{Guid.NewGuid():N}";
        }

        if (access is null)
        {
            return Task.CompletedTask;
        }

        var claimsRuntime = string.Equals(e.ClientId, access.ClientId, StringComparison.Ordinal) || string.Equals(e.UserName, access.UserName, StringComparison.Ordinal);
        if (!claimsRuntime)
        {
            return Task.CompletedTask;
        }

        var passwordOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(e.Password ?? string.Empty), Encoding.UTF8.GetBytes(access.Password));
        if (!passwordOk || !string.Equals(e.UserName, access.UserName, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }
        else if (!string.Equals(e.ClientId, access.ClientId, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }

        if (e.ReasonCode != MqttConnectReasonCode.Success)
        {
            Interlocked.Increment(ref _refusals);
            _logger.LogWarning("Embedded MQTT broker: refused client '{ClientId}' (user '{User}') from {Endpoint}: {Reason}; only the runtime may use that client id / user",
                e.ClientId, e.UserName, e.RemoteEndPoint, e.ReasonCode);
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e, EmbeddedBrokerAccess access)
    {
        if (access.IsProtected(e.ApplicationMessage.Topic) && !string.Equals(e.ClientId, access.ClientId, StringComparison.Ordinal))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = $"only {access.ClientId} may publish under {access.ProtectedRoot}/";
            Interlocked.Increment(ref _refusals);
            _logger.LogWarning("Embedded MQTT broker: dropped a publish to {Topic} (retain {Retain}) from client '{ClientId}': only the runtime may publish there",
                e.ApplicationMessage.Topic, e.ApplicationMessage.Retain, e.ClientId);
        }

        return Task.CompletedTask;
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
