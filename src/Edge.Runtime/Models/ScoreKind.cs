namespace Edge.Runtime.Models;

/// <summary>The anomaly scores (see <c>Edge.Runtime.Scoring.AnomalyScorerFactory</c>); a model card names its default.</summary>
public enum ScoreKind
{
    /// <summary>Softmax probability of the extra void class.</summary>
    VoidClass,

    /// <summary>Negative maximum logit (over every output channel, as the paper's code).</summary>
    MaxLogit,

    /// <summary>One minus the maximum softmax probability (optionally with a temperature).</summary>
    Msp,

    /// <summary>Entropy of the softmax.</summary>
    MaxEntropy,

    /// <summary>Free energy, −T·logsumexp(l/T).</summary>
    Energy,

    /// <summary>Standardized Max Logit: −(max logit − μ_c) / σ_c of the predicted class c (needs the card's <c>sml</c>).</summary>
    Sml,
}
