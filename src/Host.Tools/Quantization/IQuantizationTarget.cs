namespace Host.Tools.Quantization;

/// <summary>What a deployment target needs from the QDQ graph: activation encoding, bias form, Relu handling.</summary>
public interface IQuantizationTarget
{
    string Name { get; }

    /// <summary>Quantization of an activation calibrated to [lo, hi].</summary>
    QuantParams ActivationParams(float lo, float hi);

    /// <summary>Biases as int32 (scale = input scale · weight scale) behind their own DequantizeLinear.</summary>
    bool QuantizeBias { get; }

    /// <summary>Drop a Relu whose quantized output has zero point = qmin (the QuantizeLinear clamps at 0 already),
    /// so ORT sees Conv/Add → Q directly and fuses the group.</summary>
    bool FoldReluIntoQuantize { get; }

    /// <summary>Whether a TensorRT calibration table is written beside the model.</summary>
    bool WritesCalibrationTable { get; }
}
