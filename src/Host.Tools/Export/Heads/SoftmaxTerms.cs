namespace Host.Tools.Export.Heads;

/// <summary>Value names of the softmax of l / T: <paramref name="Max"/> = max_c l_c / T [1,1,H,W],
/// <paramref name="Exp"/>[c] = exp(l_c / T − max) [1,1,H,W] per class, <paramref name="Sum"/> = Σ_c Exp[c] [1,1,H,W].</summary>
public sealed record SoftmaxTerms(string Max, IReadOnlyList<string> Exp, string Sum);
