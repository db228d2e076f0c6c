using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Tests.Support;

/// <summary>Runs an exported ONNX model on ONNX Runtime (CPU) for parity checks.</summary>
internal static class OnnxTestRunner
{
    public static float[] Run(ModelProto model, float[] input, long[] shape) => Run(model.ToByteArray(), input, shape);

    public static float[] Run(byte[] modelBytes, float[] input, long[] shape)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(modelBytes, options);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["image"], [inputValue], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
