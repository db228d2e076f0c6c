using System.Text.Json.Serialization;

namespace Host.Tools.Reliability;

/// <summary>
/// One fault of a <c>make chaos</c> run (build/chaos.sh writes one JSON object per line). Counts are null where they
/// do not apply to the fault (e.g. no events in a refused-connection check).
/// </summary>
public sealed record ChaosResult
{
    [JsonPropertyName("fault")]
    public required string Fault { get; init; }

    /// <summary>Events the runtime stored in its journal (sum over the runs of the fault, from each run's final stats line).</summary>
    [JsonPropertyName("enqueued")]
    public long? Enqueued { get; init; }

    /// <summary>Records damaged on purpose (flipped byte) and moved aside by the journal recovery.</summary>
    [JsonPropertyName("damaged")]
    public long? Damaged { get; init; }

    /// <summary>Distinct <c>seq</c> received by the independent subscriber.</summary>
    [JsonPropertyName("delivered")]
    public long? Delivered { get; init; }

    /// <summary>Messages received more than once with the same seq and payload (consumers dedupe them).</summary>
    [JsonPropertyName("duplicates")]
    public long? Duplicates { get; init; }

    /// <summary>Valid events never delivered: enqueued - damaged - delivered, after recovery.</summary>
    [JsonPropertyName("lost")]
    public long? Lost { get; init; }

    /// <summary>Sequence numbers handed out twice (same seq, different payload, or a new event numbered at or below a stored one).</summary>
    [JsonPropertyName("seq_reused")]
    public long? SeqReused { get; init; }

    [JsonPropertyName("max_seq")]
    public long? MaxSeq { get; init; }

    /// <summary>Successful connections after the first one (from the runtime's "stopped" log line).</summary>
    [JsonPropertyName("reconnects")]
    public long? Reconnects { get; init; }

    /// <summary>Connection attempts, failed ones included.</summary>
    [JsonPropertyName("connect_attempts")]
    public long? ConnectAttempts { get; init; }

    /// <summary>Exit code(s) of the runtime, "a/b" for a fault with two runs (or a run and a check).</summary>
    [JsonPropertyName("exit_code")]
    public string? ExitCode { get; init; }

    [JsonPropertyName("seconds")]
    public double? Seconds { get; init; }

    /// <summary>Whether the fault met its targets (0 lost, 0 reused, expected exit codes, fault-specific checks).</summary>
    [JsonPropertyName("pass")]
    public bool Pass { get; init; }

    [JsonPropertyName("notes")]
    public string? Notes { get; init; }
}
