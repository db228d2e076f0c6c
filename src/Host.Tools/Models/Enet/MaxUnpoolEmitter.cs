using Host.Tools.Export;

namespace Host.Tools.Models.Enet;

/// <summary>Emits 2x2/stride-2 max pooling that remembers where each maximum was, and the matching unpooling.</summary>
public static class MaxUnpoolEmitter
{
    /// <summary>Pools <paramref name="x"/> (H and W even) and returns the pooled value's name.</summary>
    public static string Pool(OnnxGraphBuilder g, string x, UnpoolMode mode, out PoolIndices indices)
    {
        if (mode == UnpoolMode.MaxUnpool)
        {
            var outs = g.NodeMulti("MaxPool", [x], 2, OnnxGraphBuilder.Ints("kernel_shape", [2, 2]),
                OnnxGraphBuilder.Ints("strides", [2, 2]));
            indices = new PoolIndices(outs[1], null);
            return outs[0];
        }

        // The four window positions in PyTorch's scan order (row-major): (0,0), (0,1), (1,0), (1,1).
        var parts = new string[4];
        for (var k = 0; k < 4; k++)
        {
            var (dy, dx) = (k / 2, k % 2);
            parts[k] = g.Slice(x, [dy, dx], [long.MaxValue, long.MaxValue], [2, 3], [2, 2]);
        }

        var max = g.Node("Max", parts);
        // PyTorch keeps the first maximum of a window: position k wins if it equals the max and no earlier one did.
        var masks = new string[4];
        string? taken = null;
        for (var k = 0; k < 4; k++)
        {
            var eq = g.Node("Equal", [parts[k], max]);
            masks[k] = taken is null ? eq : g.Node("And", [eq, g.Node("Not", [taken])]);
            taken = taken is null ? masks[k] : g.Node("Or", [taken, masks[k]]);
        }

        indices = new PoolIndices(null, masks);
        return max;
    }

    /// <summary>ENet's down-sampling main branch: pooled, then zero channels appended up to <paramref name="outChannels"/>.</summary>
    public static string PoolPadded(OnnxGraphBuilder g, string x, UnpoolMode mode, long inChannels, long outChannels, out PoolIndices indices) =>
        g.Pad(Pool(g, x, mode, out indices), [0, 0, 0, 0, 0, outChannels - inChannels, 0, 0]);

    /// <summary>Places every value of <paramref name="y"/> at the remembered position of its 2x2 window (zeros
    /// elsewhere), like MaxUnpool2d(2, 2).</summary>
    public static string Unpool(OnnxGraphBuilder g, string y, PoolIndices indices)
    {
        if (indices.Indices is not null)
        {
            return g.Node("MaxUnpool", [y, indices.Indices], OnnxGraphBuilder.Ints("kernel_shape", [2, 2]),
                OnnxGraphBuilder.Ints("strides", [2, 2]));
        }

        var zero = g.ScalarFloat("zero", 0f);
        var placed = indices.Masks!.Select(m => g.Node("Where", [m, y, zero])).ToArray();
        // DepthToSpace (DCR): channel block (i * 2 + j) goes to row offset i, column offset j.
        var stacked = g.Concat(1, placed);
        return g.Node("DepthToSpace", [stacked], OnnxGraphBuilder.Int("blocksize", 2), OnnxGraphBuilder.Str("mode", "DCR"));
    }
}
