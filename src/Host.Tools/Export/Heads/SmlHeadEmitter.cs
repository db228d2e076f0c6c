using Edge.Runtime.Models;

namespace Host.Tools.Export.Heads;

/// <summary>
/// Standardized Max Logits as <c>StandardizedMaxLogitScorer</c> without its post-processing: with c the first-maximum
/// class and m = max_c l_c, <c>(μ_c − m) · (1 / σ_c)</c> (= −(m − μ_c) / σ_c, higher = more anomalous); μ and 1/σ are
/// picked per pixel by a one-hot of c. Boundary suppression and dilated smoothing are not in the graph.
/// </summary>
public sealed class SmlHeadEmitter : IScoreHeadEmitter
{
    private readonly float[] _means;
    private readonly float[] _inverseStds;

    public SmlHeadEmitter(SmlStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var errors = statistics.Validate("sml", statistics.ClassMeans?.Count ?? 0).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"SML head: statistics are invalid: {string.Join("; ", errors)}.", nameof(statistics));
        }

        // The same float values as the CPU scorer: means rounded to float, 1/σ computed in double then rounded.
        _means = [.. statistics.ClassMeans!.Select(m => (float)m)];
        _inverseStds = [.. statistics.ClassStds.Select(s => (float)(1 / s))];
    }

    public ScoreKind Kind => ScoreKind.Sml;

    public double Temperature => 1.0;

    public string Emit(HeadGraph heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var g = heads.Builder;
        var mean = heads.GatherByLabel("sml_mean", _means);
        var inverseStd = heads.GatherByLabel("sml_inverse_std", _inverseStds);
        return g.Node("Mul", [g.Node("Sub", [mean, heads.ChannelMax()]), inverseStd]);
    }
}
