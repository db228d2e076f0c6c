using Edge.Runtime.Benchmarking;
using Edge.Runtime.Scoring;
using Edge.Runtime.Tests.Support;

namespace Edge.Runtime.Tests.Benchmarking;

public sealed class BenchInspectionTests
{
    [Fact]
    public void Graph_inspector_counts_the_operators_of_the_main_graph()
    {
        var dir = TestPaths.NewTempDirectory();

        var plain = OnnxGraphInspector.CountOperators(new TinyConvModel().WriteTo(dir));
        var qdq = OnnxGraphInspector.CountOperators(QdqConvModel.WriteTo(dir));

        Assert.Equal(new Dictionary<string, int> { ["Conv"] = 1 }, plain);
        Assert.Equal(new Dictionary<string, int> { ["QuantizeLinear"] = 1, ["DequantizeLinear"] = 1, ["Conv"] = 1 }, qdq);
    }

    [Fact]
    public void Graph_inspector_finds_no_quantize_nodes_in_the_fp32_enet()
    {
        var model = RepoPaths.File("models/enet-seed-560-void.onnx");

        var ops = OnnxGraphInspector.CountOperators(model);

        Assert.Equal(0, OnnxGraphInspector.CountQuantizeNodes(model));
        Assert.True(ops.GetValueOrDefault("Conv") > 50, $"expected ENet's many Conv nodes, got {ops.GetValueOrDefault("Conv")}");
    }

    [Fact]
    public void Graph_inspector_rejects_a_file_that_is_not_protobuf_naming_it()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "text.onnx");
        File.WriteAllText(path, "not a model");

        var ex = Assert.Throws<InvalidDataException>(() => OnnxGraphInspector.CountOperators(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_scorer_is_minus_the_max_logit_of_every_pixel()
    {
        const int channels = 5;
        const int pixels = 37;
        var random = new Random(7);
        var logits = new float[channels * pixels];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((random.NextDouble() * 20) - 10);
        }

        var scores = new float[pixels];
        new MaxLogitScorer().Score(logits, channels, scores);

        for (var p = 0; p < pixels; p++)
        {
            var max = float.NegativeInfinity;
            for (var c = 0; c < channels; c++)
            {
                max = Math.Max(max, logits[(c * pixels) + p]);
            }

            Assert.Equal(-max, scores[p]);
        }
    }

    [Fact]
    public void Peak_memory_reads_vm_hwm_and_is_at_least_the_current_resident_set()
    {
        var status = Path.Combine(TestPaths.NewTempDirectory(), "status");
        File.WriteAllText(status, "Name:\tedgeseg\nVmPeak:\t  999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n");
        var resident = Environment.WorkingSet;

        var peak = PeakMemory.Current();

        Assert.Equal(123456, PeakMemory.ReadVmHwmKb(status));
        Assert.Null(PeakMemory.ReadVmHwmKb(Path.Combine(Path.GetDirectoryName(status)!, "missing")));
        Assert.Equal(PeakMemory.SourceVmHwm, peak.Source);
        Assert.True(peak.PeakRssMb * 1024 * 1024 >= resident, $"peak {peak.PeakRssMb} MB below the resident set {resident / 1048576.0} MB read before it");
    }

    [Theory]
    [InlineData(InferencePrecision.Fp16, "cpu", 0)]
    [InlineData(InferencePrecision.Fp16, "cuda,cpu", 3)]
    [InlineData(InferencePrecision.Int8, "cpu", 0)]
    public void Precision_that_no_provider_of_the_chain_runs_is_rejected(InferencePrecision precision, string chain, int qdqNodes)
    {
        var ex = Assert.Throws<ArgumentException>(() => PrecisionPolicy.Validate(precision, [chain], qdqNodes, "m.onnx"));

        Assert.Contains("--precision", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp32", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InferencePrecision.Fp32, "cpu", 0, InferencePrecision.Fp32)]
    [InlineData(InferencePrecision.Int8, "cpu", 2, InferencePrecision.Int8)]
    [InlineData(InferencePrecision.Fp16, "tensorrt", 0, InferencePrecision.Fp16)]
    [InlineData(InferencePrecision.Int8, "tensorrt", 0, InferencePrecision.Int8)]
    [InlineData(InferencePrecision.Fp16, "cpu", 0, InferencePrecision.Fp32)]
    [InlineData(InferencePrecision.Int8, "cuda", 0, InferencePrecision.Fp32)]
    public void Effective_precision_follows_the_provider_in_use(InferencePrecision requested, string provider, int qdqNodes, InferencePrecision expected)
    {
        Assert.Equal(expected, PrecisionPolicy.Effective(requested, provider, qdqNodes));
    }
}
