using System.Text;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// The MQTT side of EdgeSeg in one object (contract: docs/mqtt.md). Owns the broker connection (or an
/// <see cref="EmbeddedBroker"/> when no broker is configured), the retained <c>available</c> topic with an
/// <c>offline</c> last will, a publisher loop that drains the <see cref="FileAlertQueue"/> in order to <c>hazards</c>
/// (QoS 1; an event is acknowledged in the queue only after the broker's PUBACK), reconnection with exponential
/// backoff and jitter (<see cref="ReconnectBackoff"/>), and the <c>state</c> / <c>stats</c> / <c>snapshot</c> / <c>gps</c> topics;
/// with <see cref="MqttSettings.HomeAssistant"/> the retained Home Assistant discovery configs
/// (<see cref="HomeAssistantDiscovery"/>) right after <c>online</c>.
/// <para>
/// Each connection uses its own MQTTnet client: a disconnect of an old connection can never end a newer one (the
/// reconnect storm of issue #13). A refused connection is logged with its reason (<see cref="MqttConnectFailure"/>);
/// bad credentials / not authorized are retried at the longest backoff with an error each time.
/// </para>
/// <para>
/// <c>state</c>, <c>snapshot</c> and <c>gps</c> never block the caller: <see cref="OfferState"/> / <see cref="OfferSnapshot"/> / <see cref="OfferPosition"/> put
/// the latest value into a one-element slot (latest wins) that a background task publishes; every (re)connect first
/// publishes a fresh retained <c>state</c> (the current active set, empty after a start) and then <c>online</c>, so a
/// stale retained state left by a crash never sits beside <c>online</c>.
/// </para>
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
    private readonly MqttClientFactory _factory = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _outboxWake = new(0, 1);
    private readonly long _startedTimestamp;
    private readonly IReadOnlyList<RetainedMessage> _discovery;
    private readonly string _embeddedPassword = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private EmbeddedBroker? _embedded;
    private MqttClientOptions? _options;
    private Connection? _current;
    private TaskCompletionSource<Connection> _connected = NewSignal<Connection>();
    private IReadOnlyList<ActiveHazard> _active = [];
    private DateTimeOffset _activeSeen;
    private DateTimeOffset _activeAt;
    private bool _stateDirty;
    private byte[]? _pendingSnapshot;
    private byte[]? _pendingPosition;
    private Task _loops = Task.CompletedTask;
    private long _published;
    private long _connectAttempts;
    private long _connections;
    private MqttConnectFailure? _lastFailure;
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
        _activeAt = _time.GetUtcNow();
        Topics = MqttTopics.For(settings.TopicPrefix, settings.DeviceId);
        _discovery = settings.HomeAssistant.Enabled ? HomeAssistantDiscovery.Configs(Topics, settings.DeviceId, settings.HomeAssistant) : [];
    }

    public MqttTopics Topics { get; }

    /// <summary>The validated settings the service runs with.</summary>
    public MqttSettings Settings => _settings;

    /// <summary><c>host:port</c> of the broker in use (known after <see cref="StartAsync"/>).</summary>
    public string? BrokerEndpoint { get; private set; }

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _current is not null;
            }
        }
    }

    /// <summary>Hazard events acknowledged by the broker since start.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <summary>Connection attempts (TCP + CONNECT) since start, successful or not.</summary>
    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    /// <summary>Connections that reached CONNACK success since start.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Why the latest connection attempt failed; null after a successful connect.</summary>
    public MqttConnectFailure? LastConnectFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The embedded broker (with <see cref="MqttSettings.UsesEmbeddedBroker"/>, after <see cref="StartAsync"/>).</summary>
    public EmbeddedBroker? EmbeddedBroker => _embedded;

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
        var settings = _settings;
        if (_settings.UsesEmbeddedBroker)
        {
            // Only this service's own client (its client id with a password generated here, never written anywhere) may
            // publish under <prefix>/<device>/; anyone on the machine may subscribe.
            var access = new EmbeddedBrokerAccess(Topics.Root, _settings.EffectiveClientId, EmbeddedBrokerAccess.RuntimeUserName, _embeddedPassword);
            _embedded = await EmbeddedBroker.StartAsync(_settings.EmbeddedBrokerPort, access, _loggerFactory.CreateLogger<EmbeddedBroker>(), cancellationToken).ConfigureAwait(false);
            (host, port) = (_embedded.Host, _embedded.Port);
            settings = _settings with { Username = access.UserName, Password = access.Password };
        }
        else
        {
            (host, port) = (_settings.Host!, _settings.Port);
        }

        BrokerEndpoint = $"{host}:{port}";
        _options = MqttConnectionOptions.Build(settings, host, port, _settings.EffectiveClientId, Topics.Available);
        var token = _stopping.Token;
        var loops = new List<Task>
        {
            Task.Run(() => ConnectionLoopAsync(token), CancellationToken.None),
            Task.Run(() => PublisherLoopAsync(token), CancellationToken.None),
            Task.Run(() => OutboxLoopAsync(token), CancellationToken.None),
        };
        if (_statsSource is not null)
        {
            loops.Add(Task.Run(() => StatsLoopAsync(_statsSource, token), CancellationToken.None));
        }

        _loops = Task.WhenAll(loops);
        _logger.LogInformation("MQTT alert service started: broker {Endpoint}, topics {Prefix}/{Device}/..., {Pending} queued event(s)", BrokerEndpoint, _settings.TopicPrefix, _settings.DeviceId, _queue.PendingCount);
    }

    /// <summary>Completes once connected (and <c>online</c> was published).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => CurrentConnection().WaitAsync(cancellationToken);

    /// <summary>
    /// Sets the active hazards for the retained <c>state</c> topic and returns at once (never waits for the broker):
    /// a background task publishes the latest offered state (QoS 1); older, unpublished ones are superseded. The
    /// state is published again, with a fresh timestamp, after every reconnect.
    /// </summary>
    /// <param name="active">The confirmed hazards (the tracker's records).</param>
    /// <param name="lastSeen">When the set was observed (the frame's timestamp): the hazards' <c>last_seen</c>.</param>
    public void OfferState(IReadOnlyList<ActiveHazard> active, DateTimeOffset lastSeen)
    {
        ArgumentNullException.ThrowIfNull(active);
        var copy = active.ToArray();
        lock (_gate)
        {
            _active = copy;
            _activeSeen = lastSeen;
            _activeAt = _time.GetUtcNow();
            _stateDirty = true;
        }

        Wake();
    }

    /// <summary>Sets the JPEG for the retained <c>snapshot</c> topic (QoS 0) and returns at once; latest wins.</summary>
    public void OfferSnapshot(ReadOnlyMemory<byte> jpeg)
    {
        Volatile.Write(ref _pendingSnapshot, jpeg.ToArray());
        Wake();
    }

    /// <summary>Sets the GPS position for the retained <c>gps</c> topic (QoS 0) and returns at once; latest wins.</summary>
    public void OfferPosition(GeoFix fix)
    {
        Volatile.Write(ref _pendingPosition, MqttPayloads.Position(fix));
        Wake();
    }

    /// <summary>Publishes one <c>stats</c> message (QoS 0, not retained; skipped while disconnected).</summary>
    public Task PublishStatsAsync(RuntimeStats stats, CancellationToken cancellationToken)
    {
        var payload = MqttPayloads.Stats(stats, _time.GetUtcNow(), _time.GetElapsedTime(_startedTimestamp), _queue.PendingCount, PublishedCount);
        return TryPublishAsync(Topics.Stats, payload, MqttQualityOfServiceLevel.AtMostOnce, retain: false, cancellationToken);
    }

    /// <summary>
    /// Waits up to <see cref="MqttSettings.DrainTimeout"/> for queued events to be published, stops the loops, publishes
    /// a pending <c>state</c> and the retained <c>offline</c>, disconnects cleanly and stops the embedded broker. Events
    /// still queued stay on disk.
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

        Connection? connection;
        lock (_gate)
        {
            connection = _current;
        }

        if (connection is not null && connection.Client.IsConnected)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_settings.OperationTimeout);
                if (TakeDirtyState() is { } state)
                {
                    await connection.Client.PublishAsync(Message(Topics.State, state, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                }

                await connection.Client.PublishAsync(Message(Topics.Available, Encoding.UTF8.GetBytes(MqttTopics.Offline), MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                await connection.Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
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

        _logger.LogInformation("MQTT alert service stopped: {Published} event(s) published, {Left} left queued on disk, {Connections} connection(s) in {Attempts} attempt(s)",
            PublishedCount, left, Connections, ConnectAttempts);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Connection? connection;
        lock (_gate)
        {
            connection = _current;
            _current = null;
        }

        connection?.Client.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _outboxWake.Dispose();
    }

    private static TaskCompletionSource<T> NewSignal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static MqttApplicationMessage Message(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();

    private Task<Connection> CurrentConnection()
    {
        lock (_gate)
        {
            return _connected.Task;
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            if (_outboxWake.CurrentCount == 0)
            {
                _outboxWake.Release();
            }
        }
    }

    /// <summary>Marks <paramref name="connection"/> lost (idempotent); only the current connection is taken down, never a newer one.</summary>
    private void OnLost(Connection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, connection))
            {
                _current = null;
                _connected = NewSignal<Connection>();
            }
        }

        connection.MarkLost();
    }

    /// <summary>The state payload to publish when it changed since the last publish (fresh timestamp at reconnect), else null.</summary>
    private byte[]? TakeDirtyState()
    {
        lock (_gate)
        {
            if (!_stateDirty)
            {
                return null;
            }

            _stateDirty = false;
            return MqttPayloads.State(_active, _activeSeen, _activeAt);
        }
    }

    private async Task TryPublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
    {
        Connection? connection;
        lock (_gate)
        {
            connection = _current;
        }

        if (connection is null)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.OperationTimeout);
            await connection.Client.PublishAsync(Message(topic, payload, qos, retain), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("MQTT publish to {Topic} failed: {Error}", topic, ex.Message);
        }
    }

    private async Task ConnectionLoopAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(_settings.ReconnectMinDelay, _settings.ReconnectMaxDelay);
        while (!ct.IsCancellationRequested)
        {
            var connection = new Connection(_factory.CreateMqttClient());
            connection.Client.DisconnectedAsync += _ =>
            {
                OnLost(connection);
                return Task.CompletedTask;
            };
            var keep = false;
            try
            {
                Interlocked.Increment(ref _connectAttempts);
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    timeout.CancelAfter(_settings.OperationTimeout);
                    var result = await connection.Client.ConnectAsync(_options!, timeout.Token).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new RefusedException(MqttConnectFailure.FromResult(result));
                    }

                    // A fresh retained state before online: a stale one from a crashed run never sits beside "online".
                    byte[] state;
                    lock (_gate)
                    {
                        state = MqttPayloads.State(_active, _activeSeen, _time.GetUtcNow());
                        _stateDirty = false;
                    }

                    await connection.Client.PublishAsync(Message(Topics.State, state, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    await connection.Client.PublishAsync(Message(Topics.Available, Encoding.UTF8.GetBytes(MqttTopics.Online), MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    foreach (var config in _discovery)
                    {
                        await connection.Client.PublishAsync(Message(config.Topic, config.Payload, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    }
                }

                var connectedAt = _time.GetTimestamp();
                lock (_gate)
                {
                    if (!connection.Lost.IsCompleted)
                    {
                        _current = connection;
                        _connected.TrySetResult(connection);
                    }
                }

                Interlocked.Increment(ref _connections);
                if (Interlocked.Exchange(ref _lastFailure, null) is { } previous)
                {
                    _logger.LogInformation("MQTT connected to {Endpoint} as {ClientId} after {Attempts} failed attempt(s) (last: {Failure}); {Pending} queued event(s) to send",
                        BrokerEndpoint, _settings.EffectiveClientId, backoff.Attempt, previous, _queue.PendingCount);
                }
                else
                {
                    _logger.LogInformation("MQTT connected to {Endpoint} as {ClientId}; {Pending} queued event(s) to send", BrokerEndpoint, _settings.EffectiveClientId, _queue.PendingCount);
                }

                Wake(); // a snapshot offered while disconnected
                keep = true;
                await connection.Lost.WaitAsync(ct).ConfigureAwait(false);
                keep = false;
                var lasted = _time.GetElapsedTime(connectedAt);
                if (lasted >= _settings.ReconnectMaxDelay)
                {
                    backoff.Reset();
                }

                _logger.LogWarning("MQTT connection to {Endpoint} lost after {Seconds:F1} s; reconnecting", BrokerEndpoint, lasted.TotalSeconds);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                if (!keep)
                {
                    connection.Client.Dispose();
                }

                return;
            }
            catch (Exception ex)
            {
                var failure = ex is RefusedException refused ? refused.Failure : MqttConnectFailure.FromException(ex, _settings.OperationTimeout, _settings.UseTls);
                Volatile.Write(ref _lastFailure, failure);
                if (failure.Permanent)
                {
                    backoff.Saturate();
                }

                var delay = backoff.Ceiling;
                if (failure.Permanent)
                {
                    _logger.LogError("MQTT broker {Endpoint} refused the connection as {ClientId}: {Reason} ({Hint}); retrying every ~{Delay:F0} s, alerts stay queued on disk",
                        BrokerEndpoint, _settings.EffectiveClientId, failure.Reason, failure.Hint, delay.TotalSeconds);
                }
                else
                {
                    _logger.LogWarning("MQTT connect to {Endpoint} failed ({Kind}: {Reason}; {Hint}); retrying in <= {Delay:F1} s",
                        BrokerEndpoint, failure.Kind, failure.Reason, failure.Hint, delay.TotalSeconds);
                }
            }

            OnLost(connection);
            connection.Client.Dispose(); // closes the socket; this client's events can only reach this connection
            try
            {
                await Task.Delay(backoff.Next(), _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PublisherLoopAsync(CancellationToken ct)
    {
        // A refused or failed publish is retried after min, 2·min, ... max (no jitter: one vehicle, one broker).
        var retry = new ReconnectBackoff(_settings.ReconnectMinDelay, _settings.ReconnectMaxDelay, jitter: false);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var item = await _queue.PeekAsync(ct).ConfigureAwait(false);
                var connection = await CurrentConnection().WaitAsync(ct).ConfigureAwait(false);
                MqttClientPublishResult result;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(_settings.OperationTimeout);
                    result = await connection.Client.PublishAsync(Message(Topics.Hazards, item.Payload.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, retain: false), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning("MQTT: hazard event seq {Sequence} not acknowledged by the broker ({Error}); it is resent after reconnecting", item.Sequence, ex.Message);
                    OnLost(connection);
                    continue;
                }

                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    Interlocked.Increment(ref _published); // counted at the PUBACK, so PendingCount == 0 implies it is counted
                    await _queue.AcknowledgeAsync(item.Sequence, CancellationToken.None).ConfigureAwait(false);
                    retry.Reset();
                    continue;
                }

                // Refused by the broker (e.g. not authorized, quota): keep the event and retry; never drop it.
                _logger.LogError("MQTT broker refused hazard event seq {Sequence} on {Topic}: {Reason} {ReasonString}; retrying in {Delay} s", item.Sequence, Topics.Hazards, result.ReasonCode, result.ReasonString, retry.Ceiling.TotalSeconds);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // e.g. the acknowledgement could not be written (disk full): the event stays queued and is sent again.
                _logger.LogError(ex, "MQTT publisher: unexpected failure; retrying in {Delay} s", retry.Ceiling.TotalSeconds);
            }

            try
            {
                await Task.Delay(retry.Next(), _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes the latest offered <c>state</c>, <c>snapshot</c> and <c>gps</c> off the caller's path (one slot each, latest wins).</summary>
    private async Task OutboxLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _outboxWake.WaitAsync(ct).ConfigureAwait(false);
                var connection = await CurrentConnection().WaitAsync(ct).ConfigureAwait(false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_settings.OperationTimeout);
                if (TakeDirtyState() is { } state)
                {
                    try
                    {
                        await connection.Client.PublishAsync(Message(Topics.State, state, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        // The next connect publishes the then-current state anyway.
                        _logger.LogWarning("MQTT publish to {Topic} failed: {Error}", Topics.State, ex.Message);
                        OnLost(connection);
                        continue;
                    }
                }

                if (Interlocked.Exchange(ref _pendingSnapshot, null) is { } jpeg)
                {
                    await PublishLatestAsync(connection, Topics.Snapshot, jpeg, p => Interlocked.CompareExchange(ref _pendingSnapshot, p, null), timeout.Token, ct).ConfigureAwait(false);
                }

                if (Interlocked.Exchange(ref _pendingPosition, null) is { } position)
                {
                    await PublishLatestAsync(connection, Topics.Gps, position, p => Interlocked.CompareExchange(ref _pendingPosition, p, null), timeout.Token, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Publishes a value taken from a latest-wins slot (QoS 0, retained); on failure <paramref name="putBack"/> returns it to the slot unless a newer one came meanwhile.</summary>
    private async Task PublishLatestAsync(Connection connection, string topic, byte[] payload, Action<byte[]> putBack, CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            await connection.Client.PublishAsync(Message(topic, payload, MqttQualityOfServiceLevel.AtMostOnce, retain: true), timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            putBack(payload);
            _logger.LogWarning("MQTT publish to {Topic} failed: {Error}", topic, ex.Message);
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

    /// <summary>One broker connection: its own client, and a signal completed once when it is lost.</summary>
    private sealed class Connection(IMqttClient client)
    {
        private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IMqttClient Client { get; } = client;

        public Task Lost => _lost.Task;

        public void MarkLost() => _lost.TrySetResult();
    }

    private sealed class RefusedException(MqttConnectFailure failure) : Exception(failure.Reason)
    {
        public MqttConnectFailure Failure { get; } = failure;
    }
}
