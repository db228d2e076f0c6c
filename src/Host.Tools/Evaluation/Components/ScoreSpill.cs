using System.Runtime.InteropServices;

namespace Host.Tools.Evaluation.Components;

/// <summary>
/// Score maps and their labels of one (set, score), kept in a temporary file (deleted on dispose) until the set's
/// best-F1 threshold is known, then replayed image by image into two reusable buffers: a set of 60 images x 5 scores
/// at 512x1024 would hold 630 MB in memory.
/// </summary>
public sealed class ScoreSpill : IDisposable
{
    private readonly FileStream _stream;
    private readonly int _pixels;

    public ScoreSpill(int pixels, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        _pixels = pixels;
        var path = Path.Combine(directory ?? Path.GetTempPath(), $"edgeseg-scores-{Guid.NewGuid():N}.bin");
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
    }

    public int Images { get; private set; }

    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        if (scores.Length != _pixels || labels.Length != _pixels)
        {
            throw new ArgumentException($"Score spill: expected {_pixels} scores and labels, got {scores.Length} and {labels.Length}.", nameof(scores));
        }

        _stream.Write(MemoryMarshal.AsBytes(scores));
        _stream.Write(labels);
        Images++;
    }

    /// <summary>Every image in the order added; the spans are valid during the callback only.</summary>
    public void Replay(Action<float[], byte[]> image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        _stream.Flush();
        _stream.Position = 0;
        var scores = new float[_pixels];
        var labels = new byte[_pixels];
        for (var i = 0; i < Images; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _stream.ReadExactly(MemoryMarshal.AsBytes(scores.AsSpan()));
            _stream.ReadExactly(labels);
            image(scores, labels);
        }

        _stream.Position = _stream.Length;
    }

    public void Dispose() => _stream.Dispose();
}
