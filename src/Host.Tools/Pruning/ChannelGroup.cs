namespace Host.Tools.Pruning;

/// <summary>
/// A set of channels that can be removed together without touching anything outside one block: the output channels
/// of <see cref="Producer"/> (its filters and bias), the matching entries of the BatchNorm <see cref="Norm"/> and of a
/// per-channel PReLU, and the input channels of the single <see cref="Consumer"/>. <see cref="Slot"/> is the position of
/// this group in the block's <see cref="Models.BlockWidths"/> list.
/// </summary>
public sealed record ChannelGroup
{
    public required string Block { get; init; }

    public required int Slot { get; init; }

    public required ConvRef Producer { get; init; }

    public required bool ProducerHasBias { get; init; }

    /// <summary>BatchNorm prefix after the producer, or null.</summary>
    public string? Norm { get; init; }

    public double NormEps { get; init; } = 1e-5;

    public required ActivationKind Activation { get; init; }

    /// <summary>PReLU weight key (one shared slope or one per channel) when <see cref="Activation"/> is PReLU.</summary>
    public string? PReluKey { get; init; }

    public required ConvRef Consumer { get; init; }

    /// <summary>When the consumer is a 1x1 convolution without padding, a removed channel whose output is a constant
    /// can be folded exactly into this BatchNorm's running_mean (the BatchNorm right after the consumer).</summary>
    public string? FoldIntoNorm { get; init; }

    /// <summary>Name used in reports: <c>block/producer</c>.</summary>
    public string Name => Producer.Prefix;
}
