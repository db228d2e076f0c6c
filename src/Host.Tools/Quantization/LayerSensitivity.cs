namespace Host.Tools.Quantization;

/// <summary>How much quantizing one convolution alone changes the model output: ‖y_q − y‖² / ‖y‖² over the images.</summary>
public sealed record LayerSensitivity(string Node, double RelativeError);
