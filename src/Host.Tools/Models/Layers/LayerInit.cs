using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Models.Layers;

/// <summary>PyTorch's default parameter initialisation (kaiming-uniform with a = sqrt(5); bias U(-1/sqrt(fan_in), ..)).</summary>
internal static class LayerInit
{
    public static Parameter KaimingUniform(long[] shape, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(Math.Max(1, fanIn)); // gain sqrt(2/(1+5)) * sqrt(3/fan_in) = 1/sqrt(fan_in)
        using var t = empty(shape);
        using (no_grad())
        {
            t.uniform_(-bound, bound);
        }

        return new Parameter(t.clone());
    }

    public static Parameter UniformBias(long length, long fanIn)
    {
        var bound = 1.0 / Math.Sqrt(Math.Max(1, fanIn));
        using var t = empty(length);
        using (no_grad())
        {
            t.uniform_(-bound, bound);
        }

        return new Parameter(t.clone());
    }
}
