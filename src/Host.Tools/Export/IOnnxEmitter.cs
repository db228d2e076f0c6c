namespace Host.Tools.Export;

/// <summary>A building block that writes its own ONNX nodes: takes the name of its input value, returns its output's.</summary>
public interface IOnnxEmitter
{
    string Emit(OnnxGraphBuilder g, string input);
}
