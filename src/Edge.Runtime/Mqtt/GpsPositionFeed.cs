using Edge.Runtime.Alerts;

namespace Edge.Runtime.Mqtt;

/// <summary>
/// Carries GPS fixes to the retained <c>gps</c> topic (<see cref="MqttAlertService.OfferPosition"/>): reads the reader's
/// latest fix every <see cref="DefaultInterval"/> (receivers send about one per second) and offers each fix that differs
/// from the one offered before; no fix (none yet, lost, stale) offers nothing, so the topic keeps the last known position.
/// </summary>
public static class GpsPositionFeed
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (then returns without throwing).</summary>
    public static async Task RunAsync(Func<GeoFix?> latest, Action<GeoFix> offer, TimeSpan interval, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(offer);
        GeoFix? offered = null;
        using var timer = new PeriodicTimer(interval, timeProvider ?? TimeProvider.System);
        try
        {
            do
            {
                if (latest() is { } fix && fix != offered)
                {
                    offer(fix);
                    offered = fix;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
