using Host.Tools.Models;
using static TorchSharp.torch;

namespace Host.Tools.Calibration;

/// <summary>A TorchSharp network (eval mode, no gradients) at a fixed input size.</summary>
public sealed class NetworkLogitSource : ILogitSource
{
    private readonly SegmentationNetwork _network;
    private float[] _output = [];

    public NetworkLogitSource(SegmentationNetwork network, int height, int width, string description)
    {
        _network = network;
        _network.eval();
        Height = height;
        Width = width;
        Description = description;
    }

    public string Description { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes => _network.NumClasses;

    public ReadOnlySpan<float> Run(ReadOnlySpan<float> chw)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(chw.ToArray(), [1, 3, Height, Width]);
        _output = _network.call(input).contiguous().data<float>().ToArray();
        return _output;
    }

    public void Dispose() => _network.Dispose();
}
