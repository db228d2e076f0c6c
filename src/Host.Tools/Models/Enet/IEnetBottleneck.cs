using Host.Tools.Export;
using static TorchSharp.torch;

namespace Host.Tools.Models.Enet;

/// <summary>An ENet bottleneck of either checkpoint layout: regular blocks map x -> y; down-sampling blocks also hand
/// their pooling indices to the matching up-sampling block.</summary>
public interface IEnetBottleneck
{
    EnetBlockKind Kind { get; }

    Tensor Forward(Tensor input);

    Tensor ForwardDown(Tensor input, out Tensor indices);

    Tensor ForwardUp(Tensor input, Tensor indices);

    string Emit(OnnxGraphBuilder g, string input);

    string EmitDown(OnnxGraphBuilder g, string input, UnpoolMode mode, out PoolIndices indices);

    string EmitUp(OnnxGraphBuilder g, string input, PoolIndices indices);
}
