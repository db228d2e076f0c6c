using Google.Protobuf;
using Host.Tools.Import;
using Host.Tools.Quantization;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Host.Tools.Tests.Quantization;

public sealed class FxCheckpointImportTests
{
    private static string Checkpoint => TestPaths.Shared("weights/seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth");

    [Fact]
    public void First_quantized_conv_matches_a_direct_int8_computation()
    {
        const int h = 32, w = 64;
        var model = new FxCheckpointImporter(NullLogger.Instance).Build(Checkpoint, h, w);
        const string probe = "encoder.initial_block.conv.conv_dequantized";
        model.Graph.Output.Add(new ValueInfoProto
        {
            Name = probe,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
        var rng = new Random(9);
        var x = Enumerable.Range(0, 3 * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] actual;
        using (var session = new InferenceSession(model.ToByteArray()))
        using (var input = OrtValue.CreateTensorValueFromMemory(x, [1, 3, h, w]))
        using (var runOptions = new RunOptions())
        using (var outputs = session.Run(runOptions, ["image"], [input], [probe]))
        {
            actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        // Direct int8 computation of FX's quantized Conv2d (3x3, stride 2, pad 1) from the checkpoint's raw values.
        var ckpt = PyTorchCheckpointReader.Read(Checkpoint);
        var sIn = (float)ckpt["encoder_initial_block_conv_input_scale_0"].ToScalar();
        var zIn = (int)ckpt["encoder_initial_block_conv_input_zero_point_0"].ToScalar();
        var weight = ckpt["encoder.initial_block.conv.weight"];
        var qw = weight.GetInt8Values();
        var sw = weight.Quantization!.Scales.Select(s => (float)s).ToArray();
        var bias = ckpt["encoder.initial_block.conv.bias"].ToFloat();
        var sOut = (float)ckpt["encoder.initial_block.conv.scale"].ToScalar();
        var zOut = (int)ckpt["encoder.initial_block.conv.zero_point"].ToScalar();
        var qx = x.Select(v => Math.Clamp((int)MathF.Round(v / sIn, MidpointRounding.ToEven) + zIn, 0, 255)).ToArray();
        const int cout = 13, oh = h / 2, ow = w / 2;
        Assert.Equal(cout * oh * ow, actual.Length);
        var exact = 0;
        var maxDiff = 0f;
        for (var co = 0; co < cout; co++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    long acc = 0;
                    for (var ci = 0; ci < 3; ci++)
                    {
                        for (var ky = 0; ky < 3; ky++)
                        {
                            for (var kx = 0; kx < 3; kx++)
                            {
                                var iy = (oy * 2) - 1 + ky;
                                var ix = (ox * 2) - 1 + kx;
                                var q = iy < 0 || ix < 0 || iy >= h || ix >= w ? zIn : qx[(ci * h * w) + (iy * w) + ix];
                                acc += (q - zIn) * qw[(((co * 3) + ci) * 9) + (ky * 3) + kx];
                            }
                        }
                    }

                    var real = (acc * (double)sIn * sw[co]) + bias[co];
                    var qo = Math.Clamp((int)Math.Round(real / sOut, MidpointRounding.ToEven) + zOut, 0, 255);
                    var expected = (qo - zOut) * sOut;
                    var diff = MathF.Abs(expected - actual[(co * oh * ow) + (oy * ow) + ox]);
                    maxDiff = MathF.Max(maxDiff, diff);
                    exact += diff < 1e-6f ? 1 : 0;
                }
            }
        }

        // Only bias rounding to int32 and float rounding at a .5 boundary may move a value by one step.
        Assert.True(maxDiff <= sOut * 1.001f, $"max |diff| {maxDiff} > one output step {sOut}");
        Assert.True(exact >= actual.Length * 0.99, $"{exact}/{actual.Length} values identical");
    }

    [Fact]
    public void Imported_graph_keeps_stored_parameters()
    {
        var model = new FxCheckpointImporter(NullLogger.Instance).Build(Checkpoint, 32, 64);
        var init = model.Graph.Initializer.ToDictionary(t => t.Name);
        var ckpt = PyTorchCheckpointReader.Read(Checkpoint);
        Assert.Equal((float)ckpt["decoder.output_conv.scale"].ToScalar(), OnnxTensors.ReadFloats(init["logits_scale"])[0]);
        Assert.Equal((byte)ckpt["decoder.output_conv.zero_point"].ToScalar(), init["logits_zero_point"].RawData[0]);
        Assert.Equal((float)ckpt["encoder_layers_1_scale_0"].ToScalar(), OnnxTensors.ReadFloats(init.Values.Single(t =>
            t.Name.StartsWith("encoder.layers.1.add", StringComparison.Ordinal) && t.Name.EndsWith("_scale", StringComparison.Ordinal)))[0]);
        var w = ckpt["encoder.layers.1.conv3x1_1.weight"];
        Assert.Equal(w.GetInt8Values().Select(v => (byte)v).ToArray(), init["encoder.layers.1.conv3x1_1.weight_quantized"].RawData.ToByteArray());
    }

    private static string MideNetCheckpoint => TestPaths.Shared("weights/seed/pruning_quantization/midenet/midenet_quantized_fx.pth");

    [Fact]
    public void MiDE_Net_checkpoint_imports_with_its_add_relu_observers_and_a_quantized_interpolation()
    {
        const int h = 64, w = 128;
        var model = new FxCheckpointImporter(NullLogger.Instance).Build(MideNetCheckpoint, h, w);
        var init = model.Graph.Initializer.ToDictionary(t => t.Name);
        var ckpt = PyTorchCheckpointReader.Read(MideNetCheckpoint);
        Assert.Equal((float)ckpt["classifier.scale"].ToScalar(), OnnxTensors.ReadFloats(init["logits_scale"])[0]);
        // The last block's add + ReLU is quantized with FX's observer 'bottleneck2_2_relu', and so is the interpolation after it.
        var add = model.Graph.Node.Last(n => n.OpType == "Add");
        var relu = model.Graph.Node.SingleOrDefault(n => n.OpType == "Relu" && n.Input[0] == add.Output[0]); // folded into Q when zp = 0
        var quantizeRelu = model.Graph.Node.Single(n => n.OpType == "QuantizeLinear" && n.Input[0] == (relu?.Output[0] ?? add.Output[0]));
        Assert.Equal((float)ckpt["bottleneck2_2_relu_scale_0"].ToScalar(), OnnxTensors.ReadFloats(init[quantizeRelu.Input[1]])[0]);
        var resize = model.Graph.Node.Single(n => n.OpType == "Resize");
        var quantizeResize = model.Graph.Node.Single(n => n.OpType == "QuantizeLinear" && n.Input[0] == resize.Output[0]);
        Assert.Equal(OnnxTensors.ReadFloats(init[quantizeRelu.Input[1]])[0], OnnxTensors.ReadFloats(init[quantizeResize.Input[1]])[0]);

    }

    [Fact]
    public void MiDE_Net_int8_checkpoint_reproduces_table_4_on_RoadAnomaly21()
    {
        // midenet_quantized.pth is Table 4's "MiDE-Net (pruned&quantized)": VoidClass AuPRC 10.64, FPR95 99.61 on RA-21.
        var dir = Path.Combine(Path.GetTempPath(), "edgeseg-midenet-int8-" + Guid.NewGuid().ToString("N"));
        var onnx = Path.Combine(dir, "midenet-int8.onnx");
        try
        {
            new FxCheckpointImporter(NullLogger.Instance).Write(
                TestPaths.Shared("weights/seed/pruning_quantization/midenet/midenet_quantized.pth"), onnx, 512, 1024, Edge.Runtime.Models.ScoreKind.VoidClass);
            var report = new Host.Tools.Evaluation.AnomalyEvaluator(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).Run(
                new Host.Tools.Evaluation.AnomalyEvaluationSettings
                {
                    ModelPath = onnx,
                    DataPath = TestPaths.Shared("data/Validation_Dataset"),
                    Datasets = ["RoadAnomaly21"],
                    Methods = ["VoidClass"],
                },
                CancellationToken.None);
            var result = Assert.Single(report.Results);
            Assert.InRange(result.Auprc!.Value, 10.64 - 1, 10.64 + 1);
            Assert.InRange(result.Fpr95!.Value, 99.61 - 1, 100);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Float_checkpoint_is_refused_naming_the_expected_keys()
    {
        var path = TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth");
        var ex = Assert.Throws<InvalidDataException>(() => new FxCheckpointImporter(NullLogger.Instance).Build(path, 32, 64));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("initial_conv_input_scale_0", ex.Message, StringComparison.Ordinal);
    }
}
