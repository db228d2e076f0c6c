using System.Buffers;
using System.Text;
using Edge.Runtime.Mqtt;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Runtime.Hosting;

/// <summary>
/// An independent MQTT subscriber on the runtime's own hazards topic that prints every message as it arrives — what
/// <c>make run</c> shows: the events as a fleet back-end receives them, after the broker, not before it.
/// </summary>
public sealed class MqttEventEcho : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    private MqttEventEcho(IMqttClient client, TextWriter output)
    {
        _client = client;
        _output = output;
    }

    public static async Task<MqttEventEcho> StartAsync(string endpoint, MqttSettings settings, string topic, TextWriter output, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var separator = endpoint.LastIndexOf(':');
        var host = endpoint[..separator];
        var port = int.Parse(endpoint[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var client = new MqttClientFactory().CreateMqttClient();
        var echo = new MqttEventEcho(client, output);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var text = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
            lock (echo._gate)
            {
                output.WriteLine(text);
                output.Flush();
            }

            return Task.CompletedTask;
        };
        // The runtime's own TLS settings (private CA, client certificate) and credentials, its client id + "-echo", no will.
        var options = MqttConnectionOptions.Build(settings, host, port, $"{settings.EffectiveClientId}-echo", willTopic: null);
        try
        {
            await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Echoing {Topic} from {Endpoint}", topic, endpoint);
            return echo;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }
        finally
        {
            _client.Dispose();
        }
    }
}
