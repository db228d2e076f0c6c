using Edge.Runtime.Alerts;
using Edge.Runtime.Pipeline;

namespace Edge.Runtime.Hosting;

/// <summary>
/// Lets <c>edgeseg run</c> build (and fail on) model, card and source before it opens the alert queue and starts MQTT:
/// the pipeline is wired to this forwarder, which is bound to the started <see cref="AlertRuntime"/> before the
/// pipeline runs. Using it unbound is a programming error and throws.
/// </summary>
public sealed class LateBoundAlerts : IAlertQueue, IPipelineObserver
{
    private AlertRuntime? _target;

    public void Bind(AlertRuntime target) => _target = target ?? throw new ArgumentNullException(nameof(target));

    public GeoFix? CurrentFix() => _target?.Gps?.Invoke();

    public ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken) =>
        Target.Queue.EnqueueAsync(hazardEvent, cancellationToken);

    public ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken) =>
        Target.OnHazardStateAsync(state, cancellationToken);

    public ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken) =>
        Target.OnSnapshotAsync(snapshot, cancellationToken);

    private AlertRuntime Target => _target ?? throw new InvalidOperationException("The alert runtime is not started yet.");
}
