using System.Text.Json;

namespace Host.Tools.Calibration;

/// <summary>
/// The model card's <c>threshold</c> object: <c>{"value", "method", "score", "target", "tpr", "fpr", "dataset", "temperature"}</c>.
/// The runtime reads <c>value</c> and checks <c>score</c> against its scorer.
/// </summary>
public sealed record CalibratedThreshold
{
    public required double Value { get; init; }

    public required string Method { get; init; }

    /// <summary>Same as <see cref="Method"/>: the name the runtime's threshold resolution matches.</summary>
    public string Score => Method;

    public required string Target { get; init; }

    public required double Tpr { get; init; }

    public required double Fpr { get; init; }

    public required string Dataset { get; init; }

    public double Temperature { get; init; } = 1.0;

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
}
