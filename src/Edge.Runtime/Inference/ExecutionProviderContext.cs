namespace Edge.Runtime.Inference;

/// <summary>What an execution provider may need to know about the model it is appended for.</summary>
/// <param name="ModelPath">The .onnx file.</param>
/// <param name="InputName">The network input name (e.g. <c>image</c>).</param>
/// <param name="InputShape">The fixed input shape N,C,H,W if known before the session exists, else null.</param>
public sealed record ExecutionProviderContext(string ModelPath, string InputName, IReadOnlyList<int>? InputShape);
