namespace Host.Tools.Profiling;

/// <summary>Operator groups the profile counts separately.</summary>
public enum FlopCategory
{
    Conv,
    ConvTranspose,
    MatMul,
    BatchNorm,
    Elementwise,
}
