namespace Host.Tools.Models.Enet;

/// <summary>How ENet's max-unpooling is written to ONNX.</summary>
public enum UnpoolMode
{
    /// <summary>MaxPool with indices + MaxUnpool (as PyTorch computes it).</summary>
    MaxUnpool,

    /// <summary>No indices, no MaxUnpool: strided slices, equality masks that keep PyTorch's first-maximum tie rule,
    /// Where, and DepthToSpace — ops TensorRT supports. Exactly equal to <see cref="MaxUnpool"/>.</summary>
    TensorRt,
}
