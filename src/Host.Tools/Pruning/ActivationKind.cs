namespace Host.Tools.Pruning;

/// <summary>The activation that follows a channel group's producer (and its BatchNorm).</summary>
public enum ActivationKind
{
    None,
    Relu,
    PRelu,
}
