using Host.Tools.Models;

namespace Host.Tools.Import;

/// <summary>
/// Builds a network of a given architecture and fills it from a PyTorch checkpoint, strictly. Quantized checkpoints
/// are dequantized ((q - zero_point) * scale, per tensor or per channel); their quantization bookkeeping entries
/// (module output <c>scale</c>/<c>zero_point</c>, FX observer values such as <c>encoder_layers_1_scale_0</c>,
/// FloatFunctional <c>ff.*</c>) carry no weights and are dropped by name. ERFNet's unused <c>encoder.output_conv</c>
/// is dropped too.
/// </summary>
public static class NetworkImporter
{
    public static SegmentationNetwork Load(string architecture, string checkpointPath, int numClasses = 20)
    {
        var checkpoint = PyTorchCheckpointReader.Read(checkpointPath);
        var network = NetworkFactory.Create(architecture, numClasses);
        try
        {
            StateDictLoader.Load(network, checkpoint, checkpointPath, KeyMap(network, checkpoint));
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The key map used for <paramref name="network"/> and <paramref name="checkpoint"/> (null = keys as they are).</summary>
    public static Func<string, string?>? KeyMap(SegmentationNetwork network, Checkpoint checkpoint)
    {
        var quantized = checkpoint.Tensors.Values.Any(t => t.IsQuantized);
        var erfnet = network is Models.Erfnet.Erfnet;
        if (!quantized && !erfnet)
        {
            return null;
        }

        return key =>
        {
            if (erfnet && key.StartsWith("encoder.output_conv.", StringComparison.Ordinal))
            {
                return null;
            }

            if (quantized && IsQuantizationBookkeeping(key))
            {
                return null;
            }

            return key;
        };
    }

    private static bool IsQuantizationBookkeeping(string key) =>
        !key.Contains('.', StringComparison.Ordinal)
        || key.EndsWith(".scale", StringComparison.Ordinal)
        || key.EndsWith(".zero_point", StringComparison.Ordinal)
        || key.Contains(".ff.", StringComparison.Ordinal);
}
