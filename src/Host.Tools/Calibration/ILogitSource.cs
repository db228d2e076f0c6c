namespace Host.Tools.Calibration;

/// <summary>Runs a segmentation model on one preprocessed image (CHW /255 at <see cref="Height"/>×<see cref="Width"/>).</summary>
public interface ILogitSource : IDisposable
{
    string Description { get; }

    int Height { get; }

    int Width { get; }

    int Classes { get; }

    /// <summary>Logits [C,H,W] of one image; valid until the next call.</summary>
    ReadOnlySpan<float> Run(ReadOnlySpan<float> chw);
}
