using Edge.Runtime.Inference;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Calibration;

/// <summary>An exported model through ONNX Runtime (CPU).</summary>
public sealed class OnnxLogitSource : ILogitSource
{
    private readonly SegmentationSession _session;

    public OnnxLogitSource(string modelPath, ILogger logger)
    {
        _session = SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = modelPath }, logger);
    }

    public string Description => _session.ModelPath;

    public int Height => _session.InputHeight;

    public int Width => _session.InputWidth;

    public int Classes => _session.ClassCount;

    public ReadOnlySpan<float> Run(ReadOnlySpan<float> chw)
    {
        chw.CopyTo(_session.InputBuffer);
        _session.Run();
        return _session.Logits;
    }

    public void Dispose() => _session.Dispose();
}
