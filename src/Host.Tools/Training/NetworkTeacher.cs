using Host.Tools.Models;
using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>A TorchSharp network (e.g. imported from a PyTorch checkpoint) as teacher, in eval mode.</summary>
public sealed class NetworkTeacher : ITeacher
{
    private readonly SegmentationNetwork _network;

    public NetworkTeacher(SegmentationNetwork network, string description)
    {
        _network = network;
        _network.eval();
        foreach (var p in _network.parameters())
        {
            p.requires_grad = false;
        }

        Description = description;
    }

    public string Description { get; }

    public int NumClasses => _network.NumClasses;

    public Tensor Logits(Tensor images)
    {
        using var _ = no_grad();
        return _network.call(images);
    }

    public void Dispose() => _network.Dispose();
}
