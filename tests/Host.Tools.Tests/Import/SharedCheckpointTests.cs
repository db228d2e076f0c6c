using Host.Tools.Import;

namespace Host.Tools.Tests.Import;

/// <summary>Reads the real checkpoints under shared/weights and checks them against reference/architectures.md.</summary>
public sealed class SharedCheckpointTests
{
    private const string EnetSeed = "seed/pretrained/enet_560_epochs.pth";
    private const string EnetFinetuned = "seed/finetuning/enet_560_epochs_finetuned.pth";
    private const string MidenetDistilled = "seed/distillation/midenet_distilled.pth";
    private const string Davidtvs = "enet-davidtvs/model_best.pth";
    private const string ErfnetFx = "seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth";
    private const string ErfnetFxPruned = "seed/pruning_quantization/colab/erfnet_finetuned_pruned_30%_quantized_fx.pth";
    private const string RomeraInt8 = "romera-erfnet-int8/erfnet_quantized.pth";
    private const string MidenetFx = "seed/pruning_quantization/midenet/midenet_quantized_fx.pth";

    public static TheoryData<string> AllCheckpoints()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(ImportTestData.Weights, "*.pth", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ImportTestData.Weights, file));
        }

        return data;
    }

    [Fact]
    public void SharedWeightsFolderHoldsTheEighteenCheckpoints() => Assert.Equal(18, AllCheckpoints().Count);

    [Theory]
    [MemberData(nameof(AllCheckpoints))]
    public void EveryCheckpointReadsAndEveryTensorMaterialisesAsFloat(string relative)
    {
        var checkpoint = PyTorchCheckpointReader.Read(ImportTestData.Weight(relative));

        Assert.NotEmpty(checkpoint.Tensors);
        Assert.All(checkpoint.Tensors.Keys, k => Assert.False(k.StartsWith("module.", StringComparison.Ordinal)));
        foreach (var (key, tensor) in checkpoint.Tensors)
        {
            var values = tensor.ToFloat();
            Assert.True(values.Length == tensor.ElementCount, key);
            Assert.True(values.All(float.IsFinite), $"{key} has non-finite values");
        }
    }

    [Fact]
    public void SeedEnetHasTheDocumentedLayout()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(EnetSeed));

        Assert.True(ckpt.HadModulePrefix);
        Assert.Null(ckpt.StateDictKey);
        Assert.Empty(ckpt.OtherEntries);
        Assert.Equal(631, ckpt.Tensors.Count);
        Assert.Equal("initial.conv.weight", ckpt.Tensors.Keys.First());
        Assert.Equal("fullconv.weight", ckpt.Tensors.Keys.Last());
        Assert.Equal([16L, 20, 3, 3], ckpt["fullconv.weight"].Shape);
        Assert.Equal([13L, 3, 3, 3], ckpt["initial.conv.weight"].Shape);
        Assert.Equal([13L], ckpt["initial.conv.bias"].Shape);
        Assert.Equal([16L], ckpt["initial.prelu.weight"].Shape);
        Assert.Equal([1L], ckpt["bottleneck10.prelu1.weight"].Shape);
        Assert.Equal([4L, 16, 2, 2], ckpt["bottleneck10.conv1.weight"].Shape);
        Assert.Equal([32L, 32, 1, 5], ckpt["bottleneck23.conv2.0.weight"].Shape);
        Assert.Equal([32L, 32, 5, 1], ckpt["bottleneck23.conv2.3.weight"].Shape);
        Assert.Contains("bottleneck40.spatil_conv.weight", ckpt.Tensors.Keys);
        Assert.DoesNotContain(ckpt.Tensors.Keys, k => k.StartsWith("bottleneck4", StringComparison.Ordinal) && k.Contains("prelu", StringComparison.Ordinal));
        Assert.Equal(CheckpointDType.Int64, ckpt["initial.bn.num_batches_tracked"].DType);
        Assert.Empty(ckpt["initial.bn.num_batches_tracked"].Shape);

        var parameters = ckpt.Tensors.Where(kv => !IsBatchNormStatistic(kv.Key)).Sum(kv => kv.Value.ElementCount);
        Assert.InRange(parameters, 330_000, 380_000);
    }

    [Fact]
    public void FinetunedSeedEnetHasTheSameKeysAndShapesAsPretrained()
    {
        var pretrained = PyTorchCheckpointReader.Read(ImportTestData.Weight(EnetSeed));
        var finetuned = PyTorchCheckpointReader.Read(ImportTestData.Weight(EnetFinetuned));

        Assert.Equal(pretrained.Tensors.Keys, finetuned.Tensors.Keys);
        Assert.All(pretrained.Tensors, kv => Assert.Equal(kv.Value.Shape, finetuned[kv.Key].Shape));
        Assert.NotEqual(pretrained["fullconv.weight"].ToFloat(), finetuned["fullconv.weight"].ToFloat());
    }

    [Fact]
    public void DavidtvsEnetIsABareDataParallelStateDict()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(Davidtvs));

        Assert.True(ckpt.HadModulePrefix);
        Assert.Null(ckpt.StateDictKey);
        Assert.Empty(ckpt.OtherEntries);
        Assert.Equal(622, ckpt.Tensors.Count);
        Assert.Equal("initial_block.main_branch.weight", ckpt.Tensors.Keys.First());
        Assert.Equal([13L, 3, 3, 3], ckpt["initial_block.main_branch.weight"].Shape);
        Assert.Equal([16L, 20, 3, 3], ckpt["transposed_conv.weight"].Shape);
    }

    [Fact]
    public void DistilledMidenetHasTheDocumentedLayout()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(MidenetDistilled));

        Assert.False(ckpt.HadModulePrefix);
        Assert.Equal(118, ckpt.Tensors.Count);
        Assert.Equal([13L, 3, 3, 3], ckpt["initial.conv.weight"].Shape);
        Assert.Equal([20L, 128, 1, 1], ckpt["classifier.weight"].Shape);
        Assert.Equal([64L, 16, 1, 1], ckpt["bottleneck1.0.match_channels.weight"].Shape);
        Assert.Equal([128L, 64, 1, 1], ckpt["bottleneck2.0.match_channels.weight"].Shape);
        var parameters = ckpt.Tensors.Where(kv => !IsBatchNormStatistic(kv.Key)).Sum(kv => kv.Value.ElementCount);
        Assert.InRange(parameters, 60_000, 75_000); // 63,155 weights + biases; the paper rounds MiDE-Net to 0.072 M
    }

    [Fact]
    public void FxQuantizedErfnetConvsArePerChannelWithOneScalePerOutputChannel()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(ErfnetFx));

        Assert.Equal(393, ckpt.Tensors.Count);
        var quantized = ckpt.Tensors.Where(kv => kv.Value.IsQuantized).ToList();
        Assert.Equal(74, quantized.Count);
        Assert.All(quantized, kv => Assert.Equal(CheckpointDType.QInt8, kv.Value.DType));

        var perChannel = quantized.Where(kv => kv.Value.Quantization!.Scheme == QuantizationScheme.PerChannelAffine).ToList();
        Assert.Equal(71, perChannel.Count);
        foreach (var (key, tensor) in perChannel)
        {
            var q = tensor.Quantization!;
            Assert.Equal(0, q.Axis);
            Assert.True(q.Scales.Count == tensor.Shape[0], $"{key}: {q.Scales.Count} scales for {tensor.Shape[0]} output channels");
            Assert.All(q.ZeroPoints, z => Assert.Equal(0L, z));
            Assert.All(q.Scales, s => Assert.True(s > 0));
        }

        // ConvTranspose2d weights are per-tensor: decoder.layers.0, decoder.layers.3, decoder.output_conv.
        var perTensor = quantized.Where(kv => kv.Value.Quantization!.Scheme == QuantizationScheme.PerTensorAffine).Select(kv => kv.Key).ToList();
        Assert.Equal(["decoder.layers.0.conv.weight", "decoder.layers.3.conv.weight", "decoder.output_conv.weight"], perTensor);
        Assert.Equal([16L, 20, 2, 2], ckpt["decoder.output_conv.weight"].Shape);
        Assert.Equal([128L, 64, 3, 3], ckpt["decoder.layers.0.conv.weight"].Shape);

        // BNs of non_bottleneck_1d are folded (no bn1/bn2); the down/upsampler BNs stay; biases are float parameters.
        Assert.DoesNotContain(ckpt.Tensors.Keys, k => k.Contains(".bn1.", StringComparison.Ordinal) || k.Contains(".bn2.", StringComparison.Ordinal));
        Assert.Contains("encoder.layers.6.bn.running_var", ckpt.Tensors.Keys);
        Assert.DoesNotContain("encoder.output_conv.weight", ckpt.Tensors.Keys);
        Assert.True(ckpt["encoder.layers.1.conv1x3_1.bias"].IsParameter);
        Assert.Equal(CheckpointDType.Float32, ckpt["encoder.layers.1.conv1x3_1.bias"].DType);
        Assert.Equal(CheckpointDType.Float32, ckpt["encoder.layers.1.conv1x3_1.scale"].DType);
        Assert.Equal(CheckpointDType.Int64, ckpt["encoder.layers.1.conv1x3_1.zero_point"].DType);
    }

    [Theory]
    [InlineData(ErfnetFx)]
    [InlineData(ErfnetFxPruned)]
    [InlineData(RomeraInt8)]
    [InlineData(MidenetFx)]
    public void DequantisedValuesAreExactlyTheQuantizedIntegersTimesTheirScale(string relative)
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(relative));
        var quantized = ckpt.Tensors.Values.Where(t => t.IsQuantized).ToList();
        Assert.NotEmpty(quantized);

        foreach (var tensor in quantized)
        {
            var raw = tensor.GetInt8Values();
            var values = tensor.ToFloat();
            var q = tensor.Quantization!;
            var shape = tensor.Shape;
            var perChannelBlock = q.Scheme == QuantizationScheme.PerChannelAffine ? shape.Skip(q.Axis + 1).Aggregate(1L, (a, b) => a * b) : 1;
            var wrong = 0;
            var notMultiple = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var c = q.Scheme == QuantizationScheme.PerChannelAffine ? (int)(i / perChannelBlock % shape[q.Axis]) : 0;
                var expected = (float)((raw[i] - q.ZeroPoints[c]) * q.Scales[c]);
                wrong += expected == values[i] ? 0 : 1;

                // The dequantised value is an integer multiple of the channel's scale.
                var multiple = values[i] / q.Scales[c];
                notMultiple += Math.Abs(multiple - Math.Round(multiple)) < 1e-3 ? 0 : 1;
            }

            Assert.True(wrong == 0, $"{tensor}: {wrong} of {raw.Length} values differ from (q - zp) * scale");
            Assert.True(notMultiple == 0, $"{tensor}: {notMultiple} of {raw.Length} values are not integer multiples of their scale");
        }
    }

    [Fact]
    public void RomeraInt8ErfnetIsPerTensorQuantizedWithFloatTransposedConvs()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(RomeraInt8));

        Assert.True(ckpt.HadModulePrefix);
        Assert.Equal(615, ckpt.Tensors.Count);
        var quantized = ckpt.Tensors.Where(kv => kv.Value.IsQuantized).ToList();
        Assert.Equal(72, quantized.Count);
        Assert.All(quantized, kv => Assert.Equal(QuantizationScheme.PerTensorAffine, kv.Value.Quantization!.Scheme));
        Assert.Contains(quantized, kv => kv.Value.Quantization!.ZeroPoint != 0);

        var initial = ckpt["encoder.initial_block.conv.weight"];
        Assert.Equal(0.03399213030934334, initial.Quantization!.Scale);
        Assert.Equal(6L, initial.Quantization.ZeroPoint);
        Assert.Equal(CheckpointDType.Float32, ckpt["decoder.layers.0.conv.weight"].DType);
        Assert.Equal([16L, 20, 2, 2], ckpt["decoder.output_conv.weight"].Shape);
        Assert.Equal([20L, 128, 1, 1], ckpt["encoder.output_conv.weight"].Shape);
        Assert.Contains("encoder.layers.1.bn1.running_mean", ckpt.Tensors.Keys);
        Assert.Equal(CheckpointDType.Int32, ckpt["encoder.layers.1.bn1.zero_point"].DType);

        // 20% unstructured pruning: a good share of the quantized weights sit exactly at zero.
        var weight = ckpt["encoder.layers.7.conv3x1_1.weight"];
        var zeros = weight.ToFloat().Count(v => v == 0f);
        Assert.True(zeros > weight.ElementCount / 10, $"only {zeros} of {weight.ElementCount} weights are zero");
    }

    [Fact]
    public void QuantizedMidenetKeepsNoneBiasesAsNonTensorEntries()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(MidenetFx));

        Assert.Equal(106, ckpt.Tensors.Count);
        Assert.Equal(["initial.conv.bias", "bottleneck1.0.match_channels.bias", "bottleneck2.0.match_channels.bias"], ckpt.OtherEntries.Keys);
        Assert.All(ckpt.OtherEntries.Values, Assert.Null);
        var classifier = ckpt["classifier.weight"];
        Assert.Equal(QuantizationScheme.PerChannelAffine, classifier.Quantization!.Scheme);
        Assert.Equal(20, classifier.Quantization.Scales.Count);
    }

    [Fact]
    public void ChannelsLastQuantizedWeightDequantisesInLogicalOrder()
    {
        // encoder.layers.0.conv.weight is saved channels-last (strides [144, 1, 48, 16]); the logical element [o, i, h, w]
        // lives at storage index o*144 + i + h*48 + w*16.
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(ErfnetFx));
        var tensor = ckpt["encoder.layers.0.conv.weight"];
        Assert.Equal([144L, 1, 48, 16], tensor.Strides);

        using var zip = System.IO.Compression.ZipFile.OpenRead(ImportTestData.Weight(ErfnetFx));
        var entry = zip.GetEntry("erfnet_finetuned_quantized_fx/data/" + tensor.StorageKey)!;
        using var stream = entry.Open();
        var storage = new byte[entry.Length];
        stream.ReadExactly(storage);

        var raw = tensor.GetInt8Values();
        var i = 0;
        for (var o = 0; o < 48; o++)
        {
            for (var c = 0; c < 16; c++)
            {
                for (var h = 0; h < 3; h++)
                {
                    for (var w = 0; w < 3; w++)
                    {
                        Assert.Equal((sbyte)storage[(o * 144) + c + (h * 48) + (w * 16)], raw[i++]);
                    }
                }
            }
        }
    }

    [Fact]
    public void ToTorchReturnsTheDequantisedFloatTensorWithTheSameShape()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight(ErfnetFx));
        var weight = ckpt["encoder.layers.7.conv1x3_2.weight"];

        using var tensor = weight.ToTorch();

        Assert.Equal(TorchSharp.torch.ScalarType.Float32, tensor.dtype);
        Assert.Equal(weight.Shape, tensor.shape);
        Assert.Equal(weight.ToFloat(), tensor.data<float>().ToArray());
    }

    private static bool IsBatchNormStatistic(string key) =>
        key.EndsWith(".running_mean", StringComparison.Ordinal)
        || key.EndsWith(".running_var", StringComparison.Ordinal)
        || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
}
