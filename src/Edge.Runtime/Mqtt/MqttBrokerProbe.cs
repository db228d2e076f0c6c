using MQTTnet;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// One connection attempt to the configured broker with the runtime's settings (TLS, CA, client certificate,
/// credentials), as <c>edgeseg check</c> makes it: connect, read the CONNACK, disconnect. Uses the client id
/// <c>&lt;client id&gt;-check</c> so a running runtime's session is not taken over, and registers no last will.
/// </summary>
public static class MqttBrokerProbe
{
    /// <summary>Null when the broker accepted the connection, else why not.</summary>
    /// <exception cref="ArgumentException">Invalid settings (e.g. an unreadable <c>mqtt.ca_file</c>); the message names the field.</exception>
    public static async Task<MqttConnectFailure?> ConnectOnceAsync(MqttSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.UsesEmbeddedBroker)
        {
            throw new ArgumentException("mqtt.host: expected a broker to probe, got none (the embedded broker only runs inside 'edgeseg run').");
        }

        var options = MqttConnectionOptions.Build(settings, settings.Host!, settings.Port, $"{settings.EffectiveClientId}-check", willTopic: null);
        using var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.OperationTimeout);
        try
        {
            var result = await client.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return MqttConnectFailure.FromResult(result);
            }

            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return MqttConnectFailure.FromException(ex, settings.OperationTimeout, settings.UseTls);
        }
    }
}
