using Edge.Runtime.Inference;
using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>An exported ONNX model run through ONNX Runtime (CPU) as teacher, image by image at its fixed input size.</summary>
public sealed class OnnxTeacher : ITeacher
{
    private readonly SegmentationSession _session;

    public OnnxTeacher(SegmentationSession session)
    {
        _session = session;
    }

    public string Description => _session.ModelPath;

    public int NumClasses => _session.ClassCount;

    public Tensor Logits(Tensor images)
    {
        var (n, h, w) = ((int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);
        if (h != _session.InputHeight || w != _session.InputWidth)
        {
            throw new ArgumentException(
                $"ONNX teacher '{_session.ModelPath}' takes {_session.InputHeight}x{_session.InputWidth} inputs, the training input is {h}x{w}: pass --input {_session.InputHeight}x{_session.InputWidth}.");
        }

        var plane = 3 * h * w;
        var outPlane = _session.ClassCount * h * w;
        var input = images.contiguous().data<float>().ToArray();
        var output = new float[n * outPlane];
        for (var i = 0; i < n; i++)
        {
            input.AsSpan(i * plane, plane).CopyTo(_session.InputBuffer);
            _session.Run();
            _session.Logits.CopyTo(output.AsSpan(i * outPlane, outPlane));
        }

        return tensor(output, [n, _session.ClassCount, h, w]);
    }

    public void Dispose() => _session.Dispose();
}
