using Edge.Runtime.Inference;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// What a requested <see cref="InferencePrecision"/> means per provider. TensorRT builds fp16/int8 engines from an
/// fp32 model; CPU and CUDA run the model's own arithmetic: fp32 for the fp32 models, int8 kernels only for a QDQ model.
/// </summary>
public static class PrecisionPolicy
{
    /// <summary>
    /// Rejects requests no provider of the chain can honour: fp16 without TensorRT; int8 without TensorRT on a model
    /// without QuantizeLinear nodes.
    /// </summary>
    /// <exception cref="ArgumentException">The request cannot be honoured; the message says why and what to use.</exception>
    public static void Validate(InferencePrecision precision, IReadOnlyList<string> providers, int qdqNodes, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var hasTensorRt = ExecutionProviderChain.ParseNames(providers).Contains(TensorRtExecutionProvider.ProviderName);
        if (hasTensorRt)
        {
            return;
        }

        var chain = string.Join(",", ExecutionProviderChain.ParseNames(providers));
        if (precision == InferencePrecision.Fp16)
        {
            throw new ArgumentException($"--precision fp16: expected the tensorrt provider in --provider (only TensorRT converts an fp32 model to fp16), got '{chain}', which runs fp32; use --precision fp32.");
        }

        if (precision == InferencePrecision.Int8 && qdqNodes == 0)
        {
            throw new ArgumentException($"--precision int8 on '{chain}': expected a QDQ model (QuantizeLinear nodes), got '{modelPath}' with 0 QuantizeLinear nodes, which runs fp32; quantize it first or use --precision fp32.");
        }
    }

    /// <summary>
    /// Why the run may not be what was asked, or null: TensorRT int8 on a model without QDQ nodes needs a calibration
    /// table, which bench does not supply.
    /// </summary>
    public static string? Warning(InferencePrecision precision, string provider, int qdqNodes) =>
        precision == InferencePrecision.Int8 && provider == TensorRtExecutionProvider.ProviderName && qdqNodes == 0
            ? "TensorRT int8 without QuantizeLinear nodes needs a calibration table (none given): layers without int8 scales run fp16/fp32"
            : null;

    /// <summary>The precision the provider in use really runs.</summary>
    public static InferencePrecision Effective(InferencePrecision requested, string provider, int qdqNodes) => provider switch
    {
        TensorRtExecutionProvider.ProviderName => requested,
        _ when requested == InferencePrecision.Int8 && qdqNodes > 0 => InferencePrecision.Int8,
        _ => InferencePrecision.Fp32,
    };
}
