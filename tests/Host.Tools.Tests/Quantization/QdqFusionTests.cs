using Host.Tools.Quantization;
using Host.Tools.Tests.Import;

namespace Host.Tools.Tests.Quantization;

public sealed class QdqFusionTests
{
    [Theory]
    [InlineData("erfnet")]
    [InlineData("enet-seed")]
    public void Ort_cpu_fuses_quantized_convolutions_into_QLinearConv(string architecture)
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, architecture, "float");
        QuantizationFixture.Quantize(floatPath, dir.File("int8.onnx"), QuantizationTargetKind.Cpu);
        var optimized = QuantizationFixture.OptimizedByOrt(dir.File("int8.onnx"), dir.File("optimized.onnx"));

        var ops = optimized.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        var summary = string.Join(", ", ops.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}x{kv.Value}"));
        var floatConvs = StaticQuantizer.LoadModel(floatPath).Graph.Node.Count(n => n.OpType == "Conv");
        Assert.True(ops.GetValueOrDefault("QLinearConv") >= floatConvs * 0.9, $"{architecture}: {floatConvs} float Conv, optimised graph: {summary}");

        // No DequantizeLinear -> Conv -> QuantizeLinear group is left unfused.
        var producers = optimized.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var consumers = optimized.Graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var unfused = optimized.Graph.Node.Where(n => n.OpType == "Conv"
            && producers.TryGetValue(n.Input[0], out var p) && p.OpType == "DequantizeLinear"
            && consumers[n.Output[0]].Any(c => c.OpType == "QuantizeLinear")).Select(n => n.Name).ToList();
        Assert.True(unfused.Count == 0, $"unfused DQ->Conv->Q: {string.Join(", ", unfused)}; graph: {summary}");
    }

    [Fact]
    public void Quantized_enet_runs_its_prelus_and_upsampling_convolutions_in_int8()
    {
        using var dir = new TempDirectory();
        var floatPath = QuantizationFixture.ExportTo(dir, "enet-seed", "float");
        QuantizationFixture.Quantize(floatPath, dir.File("int8.onnx"), QuantizationTargetKind.Cpu, keepFloat: ["fullconv"]);
        var optimized = QuantizationFixture.OptimizedByOrt(dir.File("int8.onnx"), dir.File("optimized.onnx"));
        var ops = optimized.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        var summary = string.Join(", ", ops.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}x{kv.Value}"));

        // Bottleneck PReLUs share one slope: LeakyRelu -> QLinearLeakyRelu; only the initial block's per-channel PReLU stays.
        Assert.True(ops.GetValueOrDefault("QLinearLeakyRelu") > 80, summary);
        Assert.True(ops.GetValueOrDefault("PRelu") <= 1, summary);
        // The two up-sampling ConvTransposes became QLinearConv + DepthToSpace on uint8; the float-kept classifier stays.
        Assert.Equal(1, ops.GetValueOrDefault("ConvTranspose"));
        var producers = optimized.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var depthToSpace = optimized.Graph.Node.Where(n => n.OpType == "DepthToSpace").ToList();
        Assert.Equal(2, depthToSpace.Count);
        Assert.All(depthToSpace, n => Assert.NotEqual("DequantizeLinear", producers[n.Input[0]].OpType));
    }
}
