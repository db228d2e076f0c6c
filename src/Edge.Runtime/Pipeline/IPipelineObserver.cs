namespace Edge.Runtime.Pipeline;

/// <summary>Receives the pipeline's state changes and snapshots (e.g. to publish them over MQTT). Called from the hazard stage.</summary>
public interface IPipelineObserver
{
    /// <summary>The set of confirmed hazards changed (a hazard was confirmed or ended).</summary>
    ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken);

    /// <summary>A hazard was confirmed: JPEG of its frame with every active hazard boxed.</summary>
    ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken);
}
