using System.Collections.Concurrent;
using Edge.Runtime.Alerts;

namespace Edge.Runtime.Hosting;

/// <summary>Keeps every event in memory (tests, and runs without a broker); never drops.</summary>
public sealed class InMemoryAlertQueue : IAlertQueue
{
    private readonly ConcurrentQueue<HazardEvent> _events = new();

    public IReadOnlyCollection<HazardEvent> Events => _events;

    public ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        cancellationToken.ThrowIfCancellationRequested();
        _events.Enqueue(hazardEvent);
        return ValueTask.CompletedTask;
    }
}
