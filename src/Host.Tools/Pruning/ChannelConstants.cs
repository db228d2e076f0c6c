using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>What a channel of a group outputs when its producer filter is all zero: a constant, act(bn(bias)).</summary>
public static class ChannelConstants
{
    /// <summary>Per channel: the constant output of the channel if its producer filter were zero.</summary>
    public static double[] ForZeroFilters(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(state);
        var n = state[group.Producer.WeightKey].shape[group.Producer.OutputDim];
        var x = group.ProducerHasBias ? Values(state[group.Producer.BiasKey]) : new double[n];
        if (group.Norm is { } bn)
        {
            var gamma = Values(state[bn + ".weight"]);
            var beta = Values(state[bn + ".bias"]);
            var mean = Values(state[bn + ".running_mean"]);
            var variance = Values(state[bn + ".running_var"]);
            for (var k = 0; k < n; k++)
            {
                x[k] = (x[k] - mean[k]) / Math.Sqrt(variance[k] + group.NormEps) * gamma[k] + beta[k];
            }
        }

        switch (group.Activation)
        {
            case ActivationKind.Relu:
                for (var k = 0; k < n; k++)
                {
                    x[k] = Math.Max(0, x[k]);
                }

                break;
            case ActivationKind.PRelu:
                var slopes = Values(state[group.PReluKey ?? throw new InvalidOperationException($"{group.Name}: PReLU without a weight key.")]);
                for (var k = 0; k < n; k++)
                {
                    x[k] = x[k] >= 0 ? x[k] : slopes[slopes.Length == 1 ? 0 : k] * x[k];
                }

                break;
        }

        return x;
    }

    private static double[] Values(Tensor t)
    {
        using var d = t.detach().to_type(ScalarType.Float64).flatten();
        return d.data<double>().ToArray();
    }
}
