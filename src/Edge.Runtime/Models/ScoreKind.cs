namespace Edge.Runtime.Models;

/// <summary>The anomaly score a model card recommends by default.</summary>
public enum ScoreKind
{
    /// <summary>Softmax probability of the extra void class.</summary>
    VoidClass,

    /// <summary>Negative maximum logit over the known classes.</summary>
    MaxLogit,
}
