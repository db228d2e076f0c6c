namespace Edge.Runtime.Alerts;

/// <summary>
/// Where the pipeline hands hazard events: a durable, ordered queue. <see cref="EnqueueAsync"/> returns once the event
/// is safely stored (never drops); a publisher removes events only after the broker acknowledged them.
/// </summary>
public interface IAlertQueue
{
    ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken);

    /// <summary>Stores a frame's events in order; a durable queue may store them together (one fsync). Default: one by one.</summary>
    async ValueTask EnqueueAsync(IReadOnlyList<HazardEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var hazardEvent in events)
        {
            await EnqueueAsync(hazardEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
