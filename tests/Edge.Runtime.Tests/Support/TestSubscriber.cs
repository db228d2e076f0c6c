using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Runtime.Tests.Support;

/// <summary>
/// An independent MQTTnet subscriber that records every message it receives. With <c>persistentSession</c> it uses a
/// fixed client id, clean start off and a long session expiry, and reconnects by itself when the broker goes away.
/// </summary>
internal sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly List<Received> _messages = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly bool _reconnect;
    private Task _reconnectLoop = Task.CompletedTask;

    private TestSubscriber(string host, int port, string filter, bool persistentSession)
    {
        _filter = filter;
        _reconnect = persistentSession;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));
        builder = persistentSession
            ? builder.WithClientId($"test-sub-{Guid.NewGuid():N}").WithCleanStart(false).WithSessionExpiryInterval(3600)
            : builder.WithClientId($"test-sub-{Guid.NewGuid():N}").WithCleanStart(true);
        _options = builder.Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            lock (_gate)
            {
                _messages.Add(new Received(m.Topic, m.Payload.ToArray(), m.Retain));
            }

            return Task.CompletedTask;
        };
    }

    public int ReconnectCount { get; private set; }

    public IReadOnlyList<Received> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<TestSubscriber> ConnectAsync(string host, int port, string filter, bool persistentSession = false)
    {
        var s = new TestSubscriber(host, port, filter, persistentSession);
        await s.ConnectAndSubscribeAsync(CancellationToken.None);
        if (persistentSession)
        {
            s._reconnectLoop = Task.Run(s.ReconnectLoopAsync);
        }

        return s;
    }

    public IReadOnlyList<Received> On(string topic) => Messages.Where(m => m.Topic == topic).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds over the received messages; fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Messages))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}; received {Messages.Count} message(s).");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _reconnectLoop;
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (Exception)
        {
            // the broker may already be gone
        }

        _client.Dispose();
        _closing.Dispose();
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken ct)
    {
        var result = await _client.ConnectAsync(_options, ct);
        if (!result.IsSessionPresent)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        }
    }

    private async Task ReconnectLoopAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(20, _closing.Token);
                if (!_client.IsConnected)
                {
                    await ConnectAndSubscribeAsync(_closing.Token);
                    ReconnectCount++;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // broker still down: try again
            }
        }
    }

    public sealed record Received(string Topic, byte[] Payload, bool Retain)
    {
        public string Text => Encoding.UTF8.GetString(Payload);
    }
}
