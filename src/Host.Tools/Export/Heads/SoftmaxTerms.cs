namespace Host.Tools.Export.Heads;

/// <summary>Value names of the softmax of l / T: <paramref name="Max"/> = max_c l_c / T [1,1,H,W],
/// <paramref name="Exp"/> = exp(l / T − max) [1,C,H,W], <paramref name="Sum"/> = Σ_c Exp [1,1,H,W].</summary>
public sealed record SoftmaxTerms(string Max, string Exp, string Sum);
