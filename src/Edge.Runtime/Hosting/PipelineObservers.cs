using Edge.Runtime.Pipeline;

namespace Edge.Runtime.Hosting;

/// <summary>Hands every pipeline notification to each observer in turn (the MQTT state publisher, metrics, ...).</summary>
public sealed class PipelineObservers : IPipelineObserver
{
    private readonly IPipelineObserver[] _observers;

    public PipelineObservers(IEnumerable<IPipelineObserver> observers)
    {
        ArgumentNullException.ThrowIfNull(observers);
        _observers = [.. observers];
    }

    public async ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            await observer.OnHazardStateAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            await observer.OnSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
    }
}
