namespace Edge.Runtime.Alerts;

/// <summary>Lifecycle of a tracked hazard: confirmed (<c>new</c>), changed (<c>update</c>, rate-limited), gone (<c>end</c>).</summary>
public enum HazardEventType
{
    New,
    Update,
    End,
}
