using Host.Tools.Quantization;
using Host.Tools.Tests.Import;

namespace Host.Tools.Tests.Quantization;

public sealed class SensitivityTests
{
    [Fact]
    public void Keep_sensitive_leaves_the_convolutions_with_the_largest_output_error_in_float()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        var settings = new QuantizeSettings
        {
            ModelPath = floatPath,
            CalibrationDirectory = QuantizationFixture.CalibrationDirectory,
            Count = 2,
            KeepSensitive = 3,
            OutputPath = dir.File("q.onnx"),
        };

        var result = new StaticQuantizer(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Quantize(settings);

        var model = StaticQuantizer.LoadModel(result.OutputPath);
        var meta = model.MetadataProps.Single(p => p.Key == "edgeseg.quantization").Value;
        var kept = meta[(meta.IndexOf("keep_float=", StringComparison.Ordinal) + "keep_float=".Length)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, kept.Length);
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var name in kept)
        {
            var conv = model.Graph.Node.Single(n => n.Name == name);
            Assert.False(producers.TryGetValue(conv.Input[1], out var p) && p.OpType == "DequantizeLinear", $"{name} should keep float weights");
        }

        var quantizedConvs = model.Graph.Node.Count(n => n.OpType == "Conv" && producers.TryGetValue(n.Input[1], out var p) && p.OpType == "DequantizeLinear");
        Assert.True(quantizedConvs > 60, $"{quantizedConvs} convolutions quantized");
    }

    [Fact]
    public void A_negative_keep_sensitive_is_refused()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        var settings = new QuantizeSettings { ModelPath = floatPath, CalibrationDirectory = dir.Path, OutputPath = dir.File("q.onnx"), KeepSensitive = -1 };
        var ex = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Equal("--keep-sensitive: expected 0 or more convolutions, got -1.", ex.Message);
    }
}
