using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>MaxUnpool2d(2, 2) by scatter: per plane, value i goes to flat position indices[i] of the 2x output.</summary>
internal static class MaxUnpool
{
    /// <summary>ENet's down-sampling main branch: 2x2 max pooling (indices kept) and zero channels appended up to
    /// <paramref name="outChannels"/>.</summary>
    public static Tensor PoolPadded(Tensor input, long outChannels, out Tensor indices)
    {
        var (pooled, idx) = nn.functional.max_pool2d_with_indices(input, [2, 2], [2, 2]);
        indices = idx;
        return nn.functional.pad(pooled, [0, 0, 0, 0, 0, outChannels - pooled.shape[1]]);
    }

    public static Tensor Apply(Tensor input, Tensor indices)
    {
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        using var flat = zeros([n, c, h * 2 * w * 2], input.dtype, input.device);
        return flat.scatter(2, indices.flatten(2), input.flatten(2)).view(n, c, h * 2, w * 2);
    }
}
