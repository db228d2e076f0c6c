namespace Host.Tools.Quantization;

/// <summary>Settings of <c>edgeseg-tools quantize</c>, validated once by <see cref="Validate"/>.</summary>
public sealed record QuantizeSettings
{
    public required string ModelPath { get; init; }

    public required string CalibrationDirectory { get; init; }

    public required string OutputPath { get; init; }

    public int Count { get; init; } = 8;

    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    public double Percentile { get; init; } = 99.99;

    public QuantizationTargetKind Target { get; init; } = QuantizationTargetKind.Cpu;

    public IReadOnlyList<string> KeepFloat { get; init; } = [];

    /// <summary>Fold BatchNormalization into the preceding convolution before quantizing.</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Apply the exact <see cref="Optimization.GraphOptimizer"/> rewrites (PRelu → LeakyRelu, ConvTranspose →
    /// Conv + DepthToSpace, …) before calibrating, so those layers run in int8 too.</summary>
    public bool RewriteGraph { get; init; } = true;

    /// <summary>Keep this many convolutions in float: those whose quantization alone changes the output most
    /// (<see cref="SensitivityAnalyzer"/>); 0 = none.</summary>
    public int KeepSensitive { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            throw new ArgumentException("--model: expected an .onnx path, got an empty value.");
        }

        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException($"--model: model file '{ModelPath}' does not exist.", ModelPath);
        }

        if (string.IsNullOrWhiteSpace(OutputPath) || !OutputPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--out: expected a path ending in .onnx, got '{OutputPath}'.");
        }

        if (Path.GetFullPath(OutputPath) == Path.GetFullPath(ModelPath))
        {
            throw new ArgumentException($"--out: expected a path other than the float model, got '{OutputPath}'.");
        }

        if (Count < 1)
        {
            throw new ArgumentException($"--count: expected at least 1 calibration image, got {Count}.");
        }

        if (KeepSensitive < 0)
        {
            throw new ArgumentException($"--keep-sensitive: expected 0 or more convolutions, got {KeepSensitive}.");
        }

        if (Method == CalibrationMethod.Percentile && Percentile is <= 50 or > 100)
        {
            throw new ArgumentException($"--percentile: expected a value in (50, 100], got {Percentile}.");
        }
    }

    public ICalibrator CreateCalibrator() => Method switch
    {
        CalibrationMethod.MinMax => new MinMaxCalibrator(),
        CalibrationMethod.Percentile => new PercentileCalibrator(Percentile),
        _ => new EntropyCalibrator(),
    };

    public IQuantizationTarget CreateTarget() => Target == QuantizationTargetKind.TensorRt
        ? new TensorRtQuantizationTarget()
        : new CpuQuantizationTarget();
}
