namespace Host.Tools.Models.Enet;

/// <summary>What an ENet down-sampling block hands to its up-sampling partner in the ONNX graph: either the MaxPool
/// indices, or the four "this position was the (first) maximum of its 2x2 window" masks.</summary>
public sealed record PoolIndices(string? Indices, string[]? Masks);
