using Edge.Runtime.Mqtt;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Vehicle;

namespace Edge.Runtime.Hosting;

/// <summary>
/// The alert side's pipeline observer: the active-hazard set goes to the retained MQTT <c>state</c> topic and the GPIO
/// indicator, snapshots to the retained <c>snapshot</c> topic. Never waits for the broker.
/// </summary>
public sealed class HazardStatePublisher : IPipelineObserver
{
    private readonly MqttAlertService _mqtt;
    private readonly HazardIndicator? _indicator;

    public HazardStatePublisher(MqttAlertService mqtt, HazardIndicator? indicator)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        _mqtt = mqtt;
        _indicator = indicator;
    }

    /// <summary>Updates the indicator and offers the active set to the retained <c>state</c> topic.</summary>
    public ValueTask OnHazardStateAsync(HazardState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        _indicator?.Update(state.Active.Count);
        _mqtt.OfferState(state.Active, state.Timestamp);
        return ValueTask.CompletedTask;
    }

    /// <summary>Offers the JPEG to the retained <c>snapshot</c> topic (latest wins).</summary>
    public ValueTask OnSnapshotAsync(HazardSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _mqtt.OfferSnapshot(snapshot.Jpeg);
        return ValueTask.CompletedTask;
    }
}
