namespace Host.Tools.Import;

/// <summary>PyTorch's <c>torch.qscheme</c> values that a checkpoint can carry.</summary>
public enum QuantizationScheme
{
    /// <summary><c>torch.per_tensor_affine</c>: one scale and one zero point for the whole tensor.</summary>
    PerTensorAffine,

    /// <summary><c>torch.per_channel_affine</c>: one scale and zero point per index along <see cref="QuantizationParameters.Axis"/>.</summary>
    PerChannelAffine,
}
