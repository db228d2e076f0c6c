using Edge.Runtime.Configuration;
using Edge.Runtime.Pipeline;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// The whole vehicle runtime as <c>edgeseg run</c> composes it: <see cref="RuntimeHost"/> (model, card, source,
/// pipeline) built first — the likely failures — then the <see cref="AlertRuntime"/> (durable queue, MQTT, GPIO, GPS)
/// bound to it through <see cref="LateBoundAlerts"/>. Shared by <c>edgeseg run</c> and <c>edgeseg bench --pipeline</c>.
/// </summary>
public sealed class PipelineRuntime : IAsyncDisposable
{
    /// <summary>Kept from <c>shutdown_timeout_s</c> for disposing, flushing the journal and exiting after the drain was cut.</summary>
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _shutdownDeadline = new();
    private readonly ILogger _logger;
    private CancellationTokenRegistration _stopRegistration;

    private PipelineRuntime(RuntimeHost host, AlertRuntime alerts, ILogger logger)
    {
        Host = host;
        Alerts = alerts;
        _logger = logger;
    }

    public RuntimeHost Host { get; }

    public AlertRuntime Alerts { get; }

    /// <summary>Builds the host, starts the alert side and binds them; with <paramref name="echo"/> every hazard message
    /// received back from the broker is written there.</summary>
    public static async Task<PipelineRuntime> StartAsync(RuntimeSettings settings, ILoggerFactory loggerFactory, TextWriter eventOutput, TextWriter? echo,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var late = new LateBoundAlerts();
        var host = await RuntimeHost.CreateAsync(settings, loggerFactory, eventOutput, cancellationToken, late, observer: late, gps: late.CurrentFix).ConfigureAwait(false);
        try
        {
            var alerts = await AlertRuntime.StartAsync(settings, host.Card.Name, loggerFactory, echo, cancellationToken).ConfigureAwait(false);
            late.Bind(alerts);
            alerts.AttachStats(host.Pipeline.GetStats);
            return new PipelineRuntime(host, alerts, loggerFactory.CreateLogger<PipelineRuntime>());
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Time from <paramref name="stop"/> (SIGTERM) until <see cref="StopAsync"/> gives up draining: <c>shutdown_timeout_s</c> less a margin for the exit.</summary>
    public TimeSpan DrainBudget => TimeSpan.FromSeconds(Host.Settings.ShutdownTimeoutSeconds) - ExitMargin is var budget && budget > TimeSpan.Zero ? budget : TimeSpan.Zero;

    /// <summary>
    /// Runs the pipeline until the source ends, <c>max_frames</c> or <paramref name="stop"/>. When <paramref name="stop"/>
    /// fires (SIGTERM), the shutdown clock starts: <see cref="StopAsync"/> stops draining <see cref="DrainBudget"/> later.
    /// </summary>
    public Task<PipelineStats> RunAsync(CancellationToken stop)
    {
        _stopRegistration.Dispose();
        _stopRegistration = stop.Register(() =>
        {
            try
            {
                _shutdownDeadline.CancelAfter(DrainBudget);
            }
            catch (ObjectDisposedException)
            {
            }
        });
        return Host.RunAsync(stop);
    }

    /// <summary>
    /// Drains the alert queue and stops MQTT / GPS, within the shutdown deadline once a stop was signalled: the
    /// pipeline's <c>end</c> events are already in the journal, what is not acknowledged by the deadline stays on disk
    /// for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdownDeadline.Token);
        try
        {
            await Alerts.StopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdownDeadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Shutdown deadline ({Seconds} s after the stop signal, shutdown_timeout_s less {Margin} s) reached while draining: {Pending} event(s) stay queued on disk for the next start",
                DrainBudget.TotalSeconds, ExitMargin.TotalSeconds, Alerts.Queue is Edge.Runtime.Alerts.FileAlertQueue q ? q.PendingCount : -1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stopRegistration.DisposeAsync().ConfigureAwait(false);
            await Alerts.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Host.Dispose();
            _shutdownDeadline.Dispose();
        }
    }
}
