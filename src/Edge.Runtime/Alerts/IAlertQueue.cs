namespace Edge.Runtime.Alerts;

/// <summary>
/// Where the pipeline hands hazard events: a durable, ordered queue. <see cref="EnqueueAsync"/> returns once the event
/// is safely stored (never drops); a publisher removes events only after the broker acknowledged them.
/// </summary>
public interface IAlertQueue
{
    ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken);
}
