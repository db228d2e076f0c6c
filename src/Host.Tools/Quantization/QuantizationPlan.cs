namespace Host.Tools.Quantization;

/// <summary>What <see cref="QdqRewriter"/> writes into a float graph: Q/DQ pairs on activations, int8 weights,
/// int32 biases, and Relus to drop because their QuantizeLinear clamps at zero already.</summary>
public sealed class QuantizationPlan
{
    /// <summary>Activation tensor → its quantization (a QuantizeLinear → DequantizeLinear pair after it).</summary>
    public Dictionary<string, QuantParams> Activations { get; } = new(StringComparer.Ordinal);

    /// <summary>Weight initializer → its int8 values (replaced by DequantizeLinear of them).</summary>
    public Dictionary<string, WeightQuantization> Weights { get; } = new(StringComparer.Ordinal);

    /// <summary>Relu nodes to remove: their input takes their output's quantization (zero point = qmin).</summary>
    public HashSet<string> FoldedRelus { get; } = new(StringComparer.Ordinal);

    /// <summary>Conv/ConvTranspose biases as int32 (scale = input scale · weight scale) behind a DequantizeLinear.</summary>
    public bool QuantizeBias { get; init; }
}
