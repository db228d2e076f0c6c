using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>Per-filter statistics of a convolution weight.</summary>
public static class FilterNorms
{
    /// <summary>L2 norm of every slice of <paramref name="weight"/> along <paramref name="dim"/>.</summary>
    public static double[] L2(Tensor weight, int dim)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var w = weight.detach().to_type(ScalarType.Float64).transpose(0, dim).reshape(weight.shape[dim], -1);
        return w.square().sum(1).sqrt().data<double>().ToArray();
    }

    /// <summary>True for every slice along <paramref name="dim"/> whose elements are all exactly zero.</summary>
    public static bool[] AllZero(Tensor weight, int dim)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        var w = weight.detach().transpose(0, dim).reshape(weight.shape[dim], -1);
        return w.ne(0).any(1).logical_not().data<bool>().ToArray();
    }
}
