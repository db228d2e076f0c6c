using Edge.Runtime.Alerts;

namespace Edge.Runtime.Configuration;

/// <summary><c>queue</c>: where hazard events wait until the broker acknowledged them.</summary>
public sealed record QueueSettings
{
    /// <summary>Folder of the append-only journal (default <c>/var/lib/edgeseg</c>; created if missing).</summary>
    public string Directory { get; init; } = AlertQueueSettings.DefaultDirectory;

    /// <summary>Bound on the journal in bytes; when full, the pipeline waits (backpressure) rather than drop alerts.</summary>
    public long MaxBytes { get; init; } = AlertQueueSettings.DefaultMaxBytes;

    public AlertQueueSettings ToAlertQueueSettings() => new() { Directory = Directory, MaxBytes = MaxBytes };
}
