using Host.Tools.Import;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Tests.Import;

public sealed class StateDictLoaderTests
{
    private const string Source = "/tmp/synthetic.pth";

    [Fact]
    public void MatchingCheckpointCopiesParametersAndBatchNormBuffers()
    {
        using var module = ConvBn();
        var ckpt = Checkpoint(FullState(out var expected));

        StateDictLoader.Load(module, ckpt, Source);

        var state = module.state_dict();
        foreach (var (key, values) in expected)
        {
            Assert.Equal(values, state[key].data<float>().ToArray());
        }

        Assert.True(state["0.weight"].requires_grad, "copying under no_grad keeps the parameter trainable");
        Assert.Equal(ScalarType.Float32, state["1.running_var"].dtype);
    }

    [Fact]
    public void LoadedModuleComputesWithTheCheckpointWeights()
    {
        using var module = ConvBn();
        var state = FullState(out _);
        state["0.weight"] = Ones(3, 2, 3, 3);
        state["0.bias"] = Filled(0f, 3);
        state["1.weight"] = Filled(1f, 3);
        state["1.bias"] = Filled(0f, 3);
        state["1.running_mean"] = Filled(0f, 3);
        state["1.running_var"] = Filled(1f, 3);
        StateDictLoader.Load(module, Checkpoint(state), Source);
        module.eval();

        using var input = ones(1, 2, 3, 3);
        using var output = module.call(input);

        // Every output pixel at the centre sums 2 x 3 x 3 ones; BN is the identity up to eps.
        var centre = output[0, 0, 1, 1].item<float>();
        Assert.Equal(18f / MathF.Sqrt(1f + 1e-5f), centre, 4);
    }

    [Fact]
    public void MismatchListsEveryMissingUnexpectedAndWronglyShapedKeyAndCopiesNothing()
    {
        using var module = ConvBn();
        using var before = module.state_dict()["0.weight"].clone();
        var state = FullState(out _);
        state.Remove("1.running_var");
        state.Remove("0.bias");
        state["1.weight"] = Filled(1f, 4);
        state["0.weight"] = Filled(1f, 3, 2, 1, 3);
        state["2.weight"] = Filled(1f, 1);
        state["extra"] = Filled(1f, 2);

        var ex = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(module, Checkpoint(state), Source));

        Assert.Equal(["0.bias", "1.running_var"], ex.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Equal(["2.weight", "extra"], ex.UnexpectedKeys.Order(StringComparer.Ordinal));
        Assert.Equal(2, ex.ShapeMismatches.Count);
        var conv = ex.ShapeMismatches.Single(s => s.Key == "0.weight");
        Assert.Equal([3L, 2, 3, 3], conv.ExpectedShape);
        Assert.Equal([3L, 2, 1, 3], conv.ActualShape);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        foreach (var key in new[] { "0.bias", "1.running_var", "2.weight", "extra", "1.weight" })
        {
            Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("module expects [3, 2, 3, 3], checkpoint has [3, 2, 1, 3]", ex.Message, StringComparison.Ordinal);
        Assert.True(before.equal(module.state_dict()["0.weight"]).all().item<bool>(), "nothing may be copied when the load fails");
    }

    [Fact]
    public void NumBatchesTrackedIsIgnoredOnBothSides()
    {
        using var module = ConvBn();
        var state = FullState(out _);
        state.Remove("1.num_batches_tracked");
        StateDictLoader.Load(module, Checkpoint(state), Source);

        var withExtra = FullState(out _);
        withExtra["1.num_batches_tracked"] = Filled(5f);
        withExtra["0.num_batches_tracked"] = Filled(5f);
        StateDictLoader.Load(module, Checkpoint(withExtra), Source);
    }

    [Fact]
    public void KeyMapRenamesKeysAndDropsThoseMappedToNull()
    {
        using var module = ConvBn();
        var original = FullState(out var expected);
        var renamed = original.ToDictionary(kv => kv.Key.Replace("0.", "conv.", StringComparison.Ordinal).Replace("1.", "bn.", StringComparison.Ordinal), kv => kv.Value);
        renamed["conv.scale"] = Filled(0.5f);

        StateDictLoader.Load(
            module,
            Checkpoint(renamed),
            Source,
            key => key.EndsWith(".scale", StringComparison.Ordinal) ? null : key.Replace("conv.", "0.", StringComparison.Ordinal).Replace("bn.", "1.", StringComparison.Ordinal));

        Assert.Equal(expected["1.running_mean"], module.state_dict()["1.running_mean"].data<float>().ToArray());
    }

    [Fact]
    public void TwoCheckpointKeysMappedOntoOneModuleKeyAreReported()
    {
        using var module = ConvBn();
        var state = FullState(out _);
        state["0.weight_copy"] = state["0.weight"];

        var ex = Assert.Throws<StateDictMismatchException>(() =>
            StateDictLoader.Load(module, Checkpoint(state), Source, key => key.Replace("_copy", string.Empty, StringComparison.Ordinal)));

        Assert.Equal(["0.weight"], ex.DuplicateKeys);
    }

    [Fact]
    public void QuantizedCheckpointLoadsDequantisedIntoAFloatConv()
    {
        var path = ImportTestData.Weight("seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth");
        var ckpt = PyTorchCheckpointReader.Read(path);
        using var conv = nn.Conv2d(64, 64, (1, 3), padding: (0, 1));
        const string prefix = "encoder.layers.1.conv1x3_1.";

        StateDictLoader.Load(conv, ckpt, path, key => key.StartsWith(prefix, StringComparison.Ordinal) && key.Split('.')[^1] is "weight" or "bias" ? key[prefix.Length..] : null);

        Assert.Equal(ckpt[prefix + "weight"].ToFloat(), conv.weight!.data<float>().ToArray());
        Assert.Equal(ckpt[prefix + "bias"].ToFloat(), conv.bias!.data<float>().ToArray());
    }

    private static nn.Module<Tensor, Tensor> ConvBn() =>
        nn.Sequential(("0", nn.Conv2d(2, 3, 3, padding: 1)), ("1", nn.BatchNorm2d(3)));

    private static Dictionary<string, CheckpointTensor> FullState(out Dictionary<string, float[]> values)
    {
        values = new Dictionary<string, float[]>
        {
            ["0.weight"] = Enumerable.Range(0, 54).Select(i => (i * 0.01f) - 0.2f).ToArray(),
            ["0.bias"] = [0.1f, -0.2f, 0.3f],
            ["1.weight"] = [1.1f, 0.9f, 1.2f],
            ["1.bias"] = [0.01f, 0.02f, 0.03f],
            ["1.running_mean"] = [0.5f, -0.5f, 0.25f],
            ["1.running_var"] = [2f, 3f, 4f],
        };
        var state = new Dictionary<string, CheckpointTensor>
        {
            ["0.weight"] = CheckpointTensor.FromValues(values["0.weight"], 3, 2, 3, 3),
        };
        foreach (var key in values.Keys.Where(k => k != "0.weight"))
        {
            state[key] = CheckpointTensor.FromValues(values[key], 3);
        }

        state["1.num_batches_tracked"] = CheckpointTensor.FromValues([100f]);
        return state;
    }

    private static CheckpointTensor Ones(params long[] shape) =>
        CheckpointTensor.FromValues(Enumerable.Repeat(1f, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray(), shape);

    private static CheckpointTensor Filled(float value, params long[] shape) =>
        CheckpointTensor.FromValues(Enumerable.Repeat(value, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray(), shape);

    private static Checkpoint Checkpoint(Dictionary<string, CheckpointTensor> tensors)
    {
        var ordered = new OrderedDictionary<string, CheckpointTensor>();
        foreach (var (key, tensor) in tensors)
        {
            ordered[key] = tensor;
        }

        return new Checkpoint(Source, ordered, new OrderedDictionary<string, object?>(), null, false);
    }
}
