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
    private PipelineRuntime(RuntimeHost host, AlertRuntime alerts)
    {
        Host = host;
        Alerts = alerts;
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
            return new PipelineRuntime(host, alerts);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Runs the pipeline until the source ends, <c>max_frames</c> or <paramref name="stop"/>.</summary>
    public Task<PipelineStats> RunAsync(CancellationToken stop) => Host.RunAsync(stop);

    /// <summary>Drains the alert queue (bounded) and stops MQTT / GPS.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Alerts.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Alerts.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Host.Dispose();
        }
    }
}
