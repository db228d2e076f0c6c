using Edge.Runtime.Configuration;

namespace Edge.Runtime.Alerts;

/// <summary>
/// Settings <c>queue</c>: where and how large the on-disk alert queue is (the section binds to this record directly).
/// Validated once by <see cref="FileAlertQueue.Open"/>.
/// </summary>
public sealed record AlertQueueSettings
{
    /// <summary>Default directory on the vehicle computer.</summary>
    public const string DefaultDirectory = "/var/lib/edgeseg";

    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    public const long DefaultCompactionThresholdBytes = 1024 * 1024;

    /// <summary>Largest accepted single event payload.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Folder holding <c>alerts.journal</c> and <c>alerts.acks</c> (created if missing).</summary>
    public string Directory { get; init; } = DefaultDirectory;

    /// <summary>
    /// Upper bound of the journal file. When a new event does not fit (after compacting acknowledged events),
    /// <see cref="FileAlertQueue.EnqueueAsync"/> waits for acknowledgements (backpressure) instead of dropping anything.
    /// </summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Once every stored event is acknowledged and the journal is at least this large, it is truncated. 0 = always.</summary>
    public long CompactionThresholdBytes { get; init; } = DefaultCompactionThresholdBytes;

    /// <summary>Rule violations (field as its JSON path under <paramref name="prefix"/>, expected, actual).</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return $"{prefix}.directory: expected a folder path, got '{Directory}'";
        }

        if (MaxBytes < 4096)
        {
            yield return $"{prefix}.max_bytes: expected >= 4096, got {MaxBytes}";
        }

        if (CompactionThresholdBytes < 0)
        {
            yield return $"{prefix}.compaction_threshold_bytes: expected >= 0 bytes, got {CompactionThresholdBytes}";
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every violation (<c>queue.*</c>).</summary>
    public void Validate() => SettingsErrors.ThrowIfAny(Validate("queue"));
}
