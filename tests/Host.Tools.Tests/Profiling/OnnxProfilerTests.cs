using Host.Tools.Export;
using Host.Tools.Profiling;
using Host.Tools.Tests.Import;

namespace Host.Tools.Tests.Profiling;

public sealed class OnnxProfilerTests
{
    [Fact]
    public void Flops_of_a_tiny_conv_graph_equal_a_hand_computation()
    {
        // image [1,3,8,16] -> Conv 3x3 s2 p1 (3->4, bias) -> [1,4,4,8] -> Relu -> ConvTranspose 2x2 s2 (4->2) -> [1,2,8,16]
        var g = new OnnxGraphBuilder { InputSize = (8, 16) };
        g.AddInput(OnnxExporter.InputName, [1, 3, 8, 16]);
        var w = new float[4 * 3 * 3 * 3];
        w[0] = 1f;
        w[5] = 2f; // 2 non-zero weights in output channel 0
        var conv = g.Conv(OnnxExporter.InputName, g.Initializer("w", w, [4, 3, 3, 3]), g.Initializer("b", new float[4], [4]), [3, 3], [2, 2], [1, 1], [1, 1]);
        var relu = g.Relu(conv);
        var wt = Enumerable.Repeat(0.5f, 4 * 2 * 2 * 2).ToArray();
        var up = g.ConvTranspose(relu, g.Initializer("wt", wt, [4, 2, 2, 2]), null, [2, 2], [2, 2], [0, 0], [0, 0]);
        g.Rename(up, OnnxExporter.OutputName);
        g.AddOutput(OnnxExporter.OutputName, [1, 2, 8, 16]);
        using var dir = new TempDirectory();
        var path = dir.File("tiny.onnx");
        OnnxExporter.Save(g.ToModel("test"), path);

        var p = OnnxProfiler.Profile(path);

        const long convMacs = 4 * 4 * 8 * (3 * 3 * 3);   // Cout * Hout * Wout * (Cin * kh * kw) = 3456
        const long convTMacs = 4 * 4 * 8 * (2 * 2 * 2);  // Cin * Hin * Win * (Cout * kh * kw) = 1024
        Assert.Equal(convMacs + convTMacs, p.Macs);
        Assert.Equal(2 * convMacs, p.Flops[FlopCategory.Conv]);
        Assert.Equal(2 * convTMacs, p.Flops[FlopCategory.ConvTranspose]);
        Assert.Equal(4 * 4 * 8, p.Flops[FlopCategory.Elementwise]); // one Relu per element
        Assert.Equal((2 * 4 * 8) + convTMacs, p.NonZeroMacs);        // 2 non-zero conv weights at 32 positions
        Assert.Equal(w.Length + 4 + wt.Length, p.Parameters);
        Assert.Equal(new FileInfo(path).Length, p.SizeBytes);
    }
}
