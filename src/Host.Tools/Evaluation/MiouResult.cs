namespace Host.Tools.Evaluation;

/// <summary>The <c>miou --json</c> document: mIoU and per-class IoU in percent (null: class absent from labels and predictions).</summary>
public sealed record MiouResult
{
    public required string Model { get; init; }

    public required string Dataset { get; init; }

    public double? Miou { get; init; }

    public required IReadOnlyDictionary<string, double?> PerClass { get; init; }

    public required int Images { get; init; }

    public required double Seconds { get; init; }
}
