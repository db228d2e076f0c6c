namespace Edge.Runtime.Inference;

/// <summary>An ONNX model that cannot be loaded or does not have the expected inputs/outputs. The message names the file.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
        ModelPath = string.Empty;
    }

    public ModelLoadException(string message)
        : base(message)
    {
        ModelPath = string.Empty;
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        ModelPath = string.Empty;
    }

    public ModelLoadException(string modelPath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ModelPath = modelPath;
    }

    public string ModelPath { get; }
}
