namespace Host.Tools.Evaluation.Components;

/// <summary>Component counts of a set at one τ: TP = objects with sIoU ≥ τ, FN = the others, FP = segments with PPV &lt; τ.</summary>
public readonly record struct ComponentCounts(double Tau, long TruePositives, long FalseNegatives, long FalsePositives)
{
    /// <summary>2TP / (2TP + FN + FP); NaN when there is neither an object nor a segment.</summary>
    public double F1
    {
        get
        {
            var denominator = (2 * TruePositives) + FalseNegatives + FalsePositives;
            return denominator == 0 ? double.NaN : 2.0 * TruePositives / denominator;
        }
    }
}
