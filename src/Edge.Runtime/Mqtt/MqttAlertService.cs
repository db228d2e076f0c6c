using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Edge.Runtime.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// The MQTT side of EdgeSeg in one object (contract: docs/mqtt.md). Owns the broker connection (or an
/// <see cref="EmbeddedBroker"/> when no broker is configured), the retained <c>available</c> topic with an
/// <c>offline</c> last will, a publisher loop that drains the <see cref="FileAlertQueue"/> in order to <c>hazards</c>
/// (QoS 1; an event is acknowledged in the queue only after the broker's PUBACK), reconnection with exponential
/// backoff, and the <c>state</c> / <c>stats</c> / <c>snapshot</c> topics; with <see cref="MqttSettings.HomeAssistant"/>
/// the retained Home Assistant discovery configs (<see cref="HomeAssistantDiscovery"/>) right after <c>online</c>.
/// <para>
/// Delivery is at-least-once: an event whose PUBACK arrived but whose queue acknowledgement did not (crash, or a
/// connection lost before the PUBACK was seen) is sent again, with the same <c>seq</c>; consumers dedupe on <c>seq</c>
/// (or <c>id</c> + <c>type</c>). Events are never dropped and never reordered: one publish is in flight at a time.
/// </para>
/// Usage: <c>StartAsync</c> once, hand the queue to the pipeline, call the publish methods from anywhere (thread-safe),
/// <c>StopAsync</c> on shutdown (drains the queue for <see cref="MqttSettings.DrainTimeout"/>, then publishes
/// <c>offline</c>), then <c>DisposeAsync</c>.
/// </summary>
public sealed class MqttAlertService : IAsyncDisposable
{
    private readonly MqttSettings _settings;
    private readonly FileAlertQueue _queue;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Func<RuntimeStats>? _statsSource;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _startedTimestamp;
    private readonly IReadOnlyList<RetainedMessage> _discovery;
    private EmbeddedBroker? _embedded;
    private MqttClientOptions? _options;
    private TaskCompletionSource _connected = NewSignal();
    private TaskCompletionSource _disconnected = NewSignal();
    private byte[]? _lastState;
    private Task _loops = Task.CompletedTask;
    private long _published;
    private bool _started;
    private bool _stopped;

    public MqttAlertService(MqttSettings settings, FileAlertQueue queue, ILoggerFactory? loggerFactory = null, Func<RuntimeStats>? statsSource = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(queue);
        settings.Validate();
        _settings = settings;
        _queue = queue;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<MqttAlertService>();
        _statsSource = statsSource;
        _time = timeProvider ?? TimeProvider.System;
        _startedTimestamp = _time.GetTimestamp();
        Topics = MqttTopics.For(settings.TopicPrefix, settings.DeviceId);
        _discovery = settings.HomeAssistant is { } ha ? HomeAssistantDiscovery.Configs(Topics, settings.DeviceId, ha) : [];
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public MqttTopics Topics { get; }

    /// <summary><c>host:port</c> of the broker in use (known after <see cref="StartAsync"/>).</summary>
    public string? BrokerEndpoint { get; private set; }

    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>Hazard events acknowledged by the broker since start.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>Starts the embedded broker if no broker is configured, then the connection and publisher loops. Does not wait for a connection.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("MqttAlertService: already started.");
            }

            _started = true;
        }

        string host;
        int port;
        if (_settings.UsesEmbeddedBroker)
        {
            _embedded = await EmbeddedBroker.StartAsync(_settings.EmbeddedBrokerPort, _loggerFactory.CreateLogger<EmbeddedBroker>(), cancellationToken).ConfigureAwait(false);
            (host, port) = (_embedded.Host, _embedded.Port);
        }
        else
        {
            (host, port) = (_settings.Host!, _settings.Port);
        }

        BrokerEndpoint = $"{host}:{port}";
        _options = BuildOptions(host, port);
        var token = _stopping.Token;
        var loops = new List<Task> { Task.Run(() => ConnectionLoopAsync(token), CancellationToken.None), Task.Run(() => PublisherLoopAsync(token), CancellationToken.None) };
        if (_statsSource is not null)
        {
            loops.Add(Task.Run(() => StatsLoopAsync(_statsSource, token), CancellationToken.None));
        }

        _loops = Task.WhenAll(loops);
        _logger.LogInformation("MQTT alert service started: broker {Endpoint}, topics {Prefix}/{Device}/..., {Pending} queued event(s)", BrokerEndpoint, _settings.TopicPrefix, _settings.DeviceId, _queue.PendingCount);
    }

    /// <summary>Completes once connected (and <c>online</c> was published).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => CurrentConnected().WaitAsync(cancellationToken);

    /// <summary>Publishes the retained <c>state</c> (QoS 1). Remembered and re-published after every reconnect; never throws for a lost connection.</summary>
    public async Task PublishStateAsync(IReadOnlyList<ActiveHazard> active, CancellationToken cancellationToken)
    {
        var payload = MqttPayloads.State(active, _time.GetUtcNow());
        lock (_gate)
        {
            _lastState = payload;
        }

        await TryPublishAsync(Topics.State, payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes one <c>stats</c> message (QoS 0, not retained; skipped while disconnected).</summary>
    public Task PublishStatsAsync(RuntimeStats stats, CancellationToken cancellationToken)
    {
        var payload = MqttPayloads.Stats(stats, _time.GetUtcNow(), _time.GetElapsedTime(_startedTimestamp), _queue.PendingCount, PublishedCount);
        return TryPublishAsync(Topics.Stats, payload, MqttQualityOfServiceLevel.AtMostOnce, retain: false, cancellationToken);
    }

    /// <summary>Publishes a JPEG on <c>snapshot</c> (QoS 0, retained; skipped while disconnected).</summary>
    public Task PublishSnapshotAsync(ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken) =>
        TryPublishAsync(Topics.Snapshot, jpeg.ToArray(), MqttQualityOfServiceLevel.AtMostOnce, retain: true, cancellationToken);

    /// <summary>
    /// Waits up to <see cref="MqttSettings.DrainTimeout"/> for queued events to be published, stops the loops, publishes
    /// the retained <c>offline</c>, disconnects cleanly and stops the embedded broker. Events still queued stay on disk.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            _stopped = true;
        }

        var deadline = _time.GetTimestamp();
        // Keep draining while reconnecting too: a broker that comes back within the drain timeout still gets everything.
        while (_queue.PendingCount > 0 && _time.GetElapsedTime(deadline) < _settings.DrainTimeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, CancellationToken.None).ConfigureAwait(false);
        }

        var left = _queue.PendingCount;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // expected
        }

        if (_client.IsConnected)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_settings.OperationTimeout);
                await _client.PublishAsync(Message(Topics.Available, Encoding.UTF8.GetBytes(MqttTopics.Offline), MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("MQTT: could not publish offline / disconnect cleanly ({Error}); the broker sends the last will", ex.Message);
            }
        }

        if (_embedded is not null)
        {
            await _embedded.StopAsync().ConfigureAwait(false);
        }

        _logger.LogInformation("MQTT alert service stopped: {Published} event(s) published, {Left} left queued on disk", PublishedCount, left);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static MqttApplicationMessage Message(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();

    private Task CurrentConnected()
    {
        lock (_gate)
        {
            return _connected.Task;
        }
    }

    private void MarkDisconnected()
    {
        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }

            _disconnected.TrySetResult();
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            MarkDisconnected();
        }

        return Task.CompletedTask;
    }

    private async Task TryPublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.OperationTimeout);
            await _client.PublishAsync(Message(topic, payload, qos, retain), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("MQTT publish to {Topic} failed: {Error}", topic, ex.Message);
        }
    }

    private async Task ConnectionLoopAsync(CancellationToken ct)
    {
        var delay = _settings.ReconnectMinDelay;
        while (!ct.IsCancellationRequested)
        {
            Task disconnected;
            try
            {
                lock (_gate)
                {
                    _disconnected = NewSignal();
                    disconnected = _disconnected.Task;
                }

                if (_client.IsConnected)
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), ct).ConfigureAwait(false);
                }

                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    timeout.CancelAfter(_settings.OperationTimeout);
                    await _client.ConnectAsync(_options!, timeout.Token).ConfigureAwait(false);
                    await _client.PublishAsync(Message(Topics.Available, Encoding.UTF8.GetBytes(MqttTopics.Online), MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    foreach (var config in _discovery)
                    {
                        await _client.PublishAsync(Message(config.Topic, config.Payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    }

                    byte[]? state;
                    lock (_gate)
                    {
                        state = _lastState;
                    }

                    if (state is not null)
                    {
                        await _client.PublishAsync(Message(Topics.State, state, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    }
                }

                lock (_gate)
                {
                    if (!disconnected.IsCompleted)
                    {
                        _connected.TrySetResult();
                    }
                }

                _logger.LogInformation("MQTT connected to {Endpoint} as {ClientId}; {Pending} queued event(s) to send", BrokerEndpoint, _settings.EffectiveClientId, _queue.PendingCount);
                delay = _settings.ReconnectMinDelay;
                await disconnected.WaitAsync(ct).ConfigureAwait(false);
                _logger.LogWarning("MQTT connection to {Endpoint} lost; reconnecting", BrokerEndpoint);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MarkDisconnected();
                _logger.LogWarning("MQTT connect to {Endpoint} failed ({Error}); retrying in {Delay} s", BrokerEndpoint, ex.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.ReconnectMaxDelay.Ticks));
            }
        }
    }

    private async Task PublisherLoopAsync(CancellationToken ct)
    {
        var retryDelay = _settings.ReconnectMinDelay;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var item = await _queue.PeekAsync(ct).ConfigureAwait(false);
                await CurrentConnected().WaitAsync(ct).ConfigureAwait(false);
                MqttClientPublishResult result;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(_settings.OperationTimeout);
                    result = await _client.PublishAsync(Message(Topics.Hazards, item.Payload.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, retain: false), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning("MQTT: hazard event seq {Sequence} not acknowledged by the broker ({Error}); it is resent after reconnecting", item.Sequence, ex.Message);
                    MarkDisconnected();
                    continue;
                }

                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    await _queue.AcknowledgeAsync(item.Sequence, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                    retryDelay = _settings.ReconnectMinDelay;
                    continue;
                }

                // Refused by the broker (e.g. not authorized, quota): keep the event and retry; never drop it.
                _logger.LogError("MQTT broker refused hazard event seq {Sequence} on {Topic}: {Reason} {ReasonString}; retrying in {Delay} s", item.Sequence, Topics.Hazards, result.ReasonCode, result.ReasonString, retryDelay.TotalSeconds);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // e.g. the acknowledgement could not be written (disk full): the event stays queued and is sent again.
                _logger.LogError(ex, "MQTT publisher: unexpected failure; retrying in {Delay} s", retryDelay.TotalSeconds);
            }

            try
            {
                await Task.Delay(retryDelay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _settings.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task StatsLoopAsync(Func<RuntimeStats> source, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_settings.StatsInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await PublishStatsAsync(source(), ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("MQTT stats: the stats source failed ({Error})", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    private MqttClientOptions BuildOptions(string host, int port)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(_settings.EffectiveClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_settings.KeepAlive)
            .WithTimeout(_settings.OperationTimeout)
            .WithWillTopic(Topics.Available)
            .WithWillPayload(Encoding.UTF8.GetBytes(MqttTopics.Offline))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_settings.Username is not null)
        {
            builder = builder.WithCredentials(_settings.Username, _settings.Password);
        }

        if (_settings.UseTls)
        {
            var ca = LoadCa(_settings.CaFile);
            var allowUntrusted = _settings.AllowUntrustedCertificates;
            builder = builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(host)
                .WithCertificateValidationHandler(args => allowUntrusted || ValidateServerCertificate(args.Certificate, args.SslPolicyErrors, ca)));
        }

        return builder.Build();
    }

    private static X509Certificate2Collection? LoadCa(string? caFile)
    {
        if (caFile is null)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        if (File.ReadAllText(caFile).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPemFile(caFile);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
        }

        return collection;
    }

    private static bool ValidateServerCertificate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? ca)
    {
        if (ca is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // name mismatch or no certificate
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
