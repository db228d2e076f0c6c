namespace Host.Tools.Pruning;

/// <summary>A convolution by state-dict prefix (<c>bottleneck23.conv1</c>). Transposed convolutions store their
/// weight as [in, out, kh, kw], ordinary ones as [out, in, kh, kw].</summary>
public sealed record ConvRef(string Prefix, bool Transposed = false)
{
    public string WeightKey => Prefix + ".weight";

    public string BiasKey => Prefix + ".bias";

    /// <summary>Weight dimension indexing the output channels.</summary>
    public int OutputDim => Transposed ? 1 : 0;

    /// <summary>Weight dimension indexing the input channels.</summary>
    public int InputDim => Transposed ? 0 : 1;
}
