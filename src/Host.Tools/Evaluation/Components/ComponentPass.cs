using System.Diagnostics;
using Host.Tools.Metrics;

namespace Host.Tools.Evaluation.Components;

/// <summary>
/// The component metrics of one set inside <c>evaluate</c>, one <see cref="ComponentMetrics"/> per score: a score with
/// a given threshold is measured as each image arrives; one without waits for the set's pixel-level best-F1 threshold
/// (<see cref="PixelF1Threshold"/>), its maps spilled to a temporary file meanwhile (<see cref="ScoreSpill"/>).
/// <see cref="Add"/> is safe to call concurrently for different scores.
/// </summary>
internal sealed class ComponentPass : IDisposable
{
    private readonly ComponentMetrics[] _metrics;
    private readonly ScoreSpill?[] _spills;
    private readonly float?[] _thresholds;
    private long _ticks;

    /// <param name="scores">Number of scores; 0 turns the pass off.</param>
    public ComponentPass(int scores, ComponentSettings settings, IReadOnlyList<float?> thresholds, int pixels)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        _metrics = new ComponentMetrics[scores];
        _spills = new ScoreSpill?[scores];
        _thresholds = [.. thresholds.Take(scores)];
        try
        {
            for (var s = 0; s < scores; s++)
            {
                _metrics[s] = new ComponentMetrics(settings);
                _spills[s] = _thresholds[s] is null ? new ScoreSpill(pixels) : null;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Wall seconds spent in component work (summed over scores).</summary>
    public double Seconds => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalSeconds;

    public void Add(int score, ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, int width, int height)
    {
        if (score >= _metrics.Length)
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        if (_thresholds[score] is { } threshold)
        {
            _metrics[score].Accumulate(scores, threshold, labels, width, height);
        }
        else
        {
            _spills[score]!.Add(scores, labels);
        }

        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
    }

    /// <summary>The score's result (null when the pass is off or the best-F1 threshold is undefined: no anomaly pixel).</summary>
    public ComponentResult? Result(int score, ScoreDistribution distribution, int width, int height, CancellationToken cancellationToken)
    {
        if (score >= _metrics.Length)
        {
            return null;
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            var metrics = _metrics[score];
            if (_thresholds[score] is { } given)
            {
                return metrics.ToResult(given);
            }

            var best = PixelF1Threshold.Best(distribution);
            if (best is null)
            {
                return null;
            }

            _spills[score]!.Replay((scores, labels) => metrics.Accumulate(scores, best.Threshold, labels, width, height), cancellationToken);
            return metrics.ToResult(best.Threshold);
        }
        finally
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    public void Dispose()
    {
        foreach (var m in _metrics)
        {
            m?.Dispose();
        }

        foreach (var s in _spills)
        {
            s?.Dispose();
        }
    }
}
