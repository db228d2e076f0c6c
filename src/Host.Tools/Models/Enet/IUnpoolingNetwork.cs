using Host.Tools.Export;

namespace Host.Tools.Models.Enet;

/// <summary>A network with max-unpooling that can be written to ONNX either with MaxUnpool or TensorRT-safe.</summary>
public interface IUnpoolingNetwork
{
    string Emit(OnnxGraphBuilder g, string input, UnpoolMode mode);
}
