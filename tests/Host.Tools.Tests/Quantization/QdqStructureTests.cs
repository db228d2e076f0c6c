using Host.Tools.Export;
using Host.Tools.Quantization;
using Host.Tools.Tests.Import;
using Onnx;

namespace Host.Tools.Tests.Quantization;

public sealed class QdqStructureTests
{
    private static readonly int UInt8 = (int)TensorProto.Types.DataType.Uint8;
    private static readonly int Int8 = (int)TensorProto.Types.DataType.Int8;
    private static readonly int Int32 = (int)TensorProto.Types.DataType.Int32;

    [Fact]
    public void Cpu_target_writes_per_channel_int8_weights_uint8_activations_and_int32_bias()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        var result = QuantizationFixture.Quantize(floatPath, dir.File("q.onnx"), QuantizationTargetKind.Cpu);
        var model = StaticQuantizer.LoadModel(result.OutputPath);
        var g = Index(model);

        foreach (var conv in model.Graph.Node.Where(n => n.OpType is "Conv" or "ConvTranspose"))
        {
            var wDq = g.Producer[conv.Input[1]];
            Assert.Equal("DequantizeLinear", wDq.OpType);
            Assert.Equal(conv.OpType == "Conv" ? 0 : 1, wDq.Attribute.Single(a => a.Name == "axis").I);
            Assert.Equal(Int8, g.Init[wDq.Input[0]].DataType);
            Assert.True(g.Init[wDq.Input[1]].Dims.Single() > 1, "per-channel scales");
            Assert.All(OnnxTensorsInt8(g.Init[wDq.Input[2]]), z => Assert.Equal(0, z));

            var xDq = g.Producer[conv.Input[0]];
            Assert.Equal("DequantizeLinear", xDq.OpType);
            Assert.Equal(UInt8, g.Init[xDq.Input[2]].DataType);

            var bDq = g.Producer[conv.Input[2]];
            Assert.Equal("DequantizeLinear", bDq.OpType);
            Assert.Equal(Int32, g.Init[bDq.Input[0]].DataType);
            var inScale = OnnxTensors.ReadFloats(g.Init[xDq.Input[1]])[0];
            var wScales = OnnxTensors.ReadFloats(g.Init[wDq.Input[1]]);
            var bScales = OnnxTensors.ReadFloats(g.Init[bDq.Input[1]]);
            for (var c = 0; c < bScales.Length; c++)
            {
                Assert.Equal(inScale * wScales[c], bScales[c], 1e-9f);
            }
        }

        Assert.Contains(model.MetadataProps, p => p.Key == "edgeseg.quantization" && p.Value.Contains("target=cpu", StringComparison.Ordinal));
        Assert.Null(result.CalibrationTablePath);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization"
            && g.Producer.TryGetValue(n.Input[0], out var p) && p.OpType == "Conv"); // folded where it follows a Conv
        Assert.Equal("logits", model.Graph.Output.Single().Name);
    }

    [Fact]
    public void Tensorrt_target_uses_int8_zero_point_0_float_bias_keeps_relus_and_writes_a_calibration_table()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        var result = QuantizationFixture.Quantize(floatPath, dir.File("q.onnx"), QuantizationTargetKind.TensorRt, CalibrationMethod.Entropy);
        var model = StaticQuantizer.LoadModel(result.OutputPath);
        var g = Index(model);
        var qs = model.Graph.Node.Where(n => n.OpType == "QuantizeLinear").ToList();
        Assert.NotEmpty(qs);
        Assert.All(qs, q =>
        {
            Assert.Equal(Int8, g.Init[q.Input[2]].DataType);
            Assert.Equal(0, OnnxTensorsInt8(g.Init[q.Input[2]]).Single());
        });
        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == Int32);
        Assert.Equal(StaticQuantizer.LoadModel(floatPath).Graph.Node.Count(n => n.OpType == "Relu"), model.Graph.Node.Count(n => n.OpType == "Relu"));

        var lines = File.ReadAllLines(result.CalibrationTablePath!);
        Assert.Equal(TensorRtCalibrationTable.Header, lines[0]);
        var entries = lines.Skip(1).Select(l => l.Split(": ")).ToDictionary(p => p[0], p => TensorRtCalibrationTable.FromHex(p[1]));
        var q0 = qs.First(q => entries.ContainsKey(q.Input[0]));
        Assert.Equal(OnnxTensors.ReadFloats(g.Init[q0.Input[1]])[0], entries[q0.Input[0]]);
    }

    [Fact]
    public void Keep_float_leaves_the_classifier_unquantized()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        var result = QuantizationFixture.Quantize(floatPath, dir.File("q.onnx"), QuantizationTargetKind.Cpu, keepFloat: ["decoder.output_conv"]);
        var model = StaticQuantizer.LoadModel(result.OutputPath);
        var g = Index(model);
        var head = model.Graph.Node.Single(n => n.OpType == "ConvTranspose" && n.Name.StartsWith("decoder.output_conv", StringComparison.Ordinal));
        Assert.Equal("logits", head.Output[0]);
        Assert.Equal((int)TensorProto.Types.DataType.Float, g.Init[head.Input[1]].DataType);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "QuantizeLinear" && n.Input[0].StartsWith("logits", StringComparison.Ordinal));
        // The decoder's up-samplers are quantized: rewritten as Conv (+ DepthToSpace) whose weights are dequantized int8.
        Assert.Single(model.Graph.Node, n => n.OpType == "ConvTranspose");
        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv" && n.Name.EndsWith("/phases", StringComparison.Ordinal)
                                               && g.Producer.TryGetValue(n.Input[1], out var p) && p.OpType == "DequantizeLinear");
    }

    [Fact]
    public void Calibration_fails_clearly_without_images_or_with_a_dynamic_input()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "erfnet", "float");
        Directory.CreateDirectory(dir.File("empty"));
        var settings = new QuantizeSettings { ModelPath = floatPath, CalibrationDirectory = dir.File("empty"), OutputPath = dir.File("q.onnx") };
        var ex = Assert.Throws<InvalidDataException>(() => new StaticQuantizer(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Quantize(settings));
        Assert.Contains("no calibration images", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.File("empty"), ex.Message, StringComparison.Ordinal);

        var model = StaticQuantizer.LoadModel(floatPath);
        model.Graph.Input[0].Type.TensorType.Shape.Dim[2].ClearDimValue();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimParam = "height";
        OnnxExporter.Save(model, dir.File("dynamic.onnx"));
        var ex2 = Assert.Throws<InvalidDataException>(() => QuantizationFixture.Quantize(dir.File("dynamic.onnx"), dir.File("q2.onnx"), QuantizationTargetKind.Cpu));
        Assert.Contains("input 'image' expected float32 [1, 3, H, W]", ex2.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("q.onnx")) || File.Exists(dir.File("q2.onnx")));
    }

    private static sbyte[] OnnxTensorsInt8(TensorProto t) => t.RawData.Span.ToArray().Select(b => (sbyte)b).ToArray();

    private static (Dictionary<string, NodeProto> Producer, Dictionary<string, TensorProto> Init) Index(ModelProto model) => (
        model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n),
        model.Graph.Initializer.ToDictionary(t => t.Name));
}
