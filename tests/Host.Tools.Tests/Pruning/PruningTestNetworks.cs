using Host.Tools.Models;
using Host.Tools.Tests.Support;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Pruning;

/// <summary>Shared helpers: random networks with non-trivial BatchNorms, eval-mode forward, max |Δ|.</summary>
internal static class PruningTestNetworks
{
    public static SegmentationNetwork Random(string architecture, int seed)
    {
        manual_seed(seed);
        var net = NetworkFactory.Create(architecture, 20);
        Randomize.BatchNorms(net, seed + 1);
        net.eval();
        return net;
    }

    public static float[] Forward(SegmentationNetwork net, Tensor input)
    {
        using var noGrad = no_grad();
        using var output = net.call(input);
        return output.data<float>().ToArray();
    }

    public static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
    }
}
