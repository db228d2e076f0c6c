namespace Host.Tools.Export.Heads;

/// <summary>
/// The logits of a network inside a graph under construction, and the per-pixel reductions that several heads share
/// (channel maximum, softmax sums, first-maximum labels), each emitted once. Operators: Div, Sub, Exp, Log, ReduceMax,
/// ReduceMin, ReduceSum, Slice, Equal, Greater, And, Where, Cast — all supported by TensorRT's ONNX parser.
/// </summary>
public sealed class HeadGraph
{
    private readonly Dictionary<float, SoftmaxTerms> _softmax = [];
    private string? _max;
    private string? _labels;
    private string? _classIndex;

    public HeadGraph(OnnxGraphBuilder builder, string logits, int channels)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(logits);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Builder = builder;
        Logits = logits;
        Channels = channels;
    }

    public OnnxGraphBuilder Builder { get; }

    /// <summary>The logits value, float32 [1,C,H,W].</summary>
    public string Logits { get; }

    public int Channels { get; }

    /// <summary>max_c l_c over the channel axis, [1,1,H,W].</summary>
    public string ChannelMax() => _max ??= ReduceMax(Logits);

    /// <summary>l / T (the logits themselves for T = 1, as the CPU scorers skip the division).</summary>
    public string Scaled(float temperature) =>
        temperature == 1f ? Logits : Builder.Node("Div", [Logits, Builder.ScalarFloat("temperature", temperature)]);

    /// <summary>The softmax terms of l / T the way <c>SoftmaxKernels</c> computes them: m = max_c l_c / T,
    /// e_c = exp(l_c / T − m), s = Σ_c e_c.</summary>
    public SoftmaxTerms Softmax(float temperature)
    {
        if (_softmax.TryGetValue(temperature, out var terms))
        {
            return terms;
        }

        var scaled = Scaled(temperature);
        var max = temperature == 1f ? ChannelMax() : ReduceMax(scaled);
        var exp = Builder.Node("Exp", [Builder.Node("Sub", [scaled, max])]);
        var sum = Builder.Node("ReduceSum", [exp, Builder.Int64Initializer("axes", [1])], OnnxGraphBuilder.Int("keepdims", 1));
        terms = new SoftmaxTerms(max, exp, sum);
        _softmax[temperature] = terms;
        return terms;
    }

    /// <summary>One channel of <paramref name="x"/> ([1,C,H,W] → [1,1,H,W]).</summary>
    public string Channel(string x, int channel) => Builder.Slice(x, [channel], [channel + 1], [1], [1]);

    /// <summary>
    /// The argmax class as float32 [1,1,H,W] with PyTorch's first-maximum rule: the smallest c with l_c = max (written
    /// as ReduceMin over Where(l == max, c, C), not ArgMax, whose tie order TensorRT does not promise).
    /// </summary>
    public string Labels()
    {
        if (_labels is not null)
        {
            return _labels;
        }

        var none = Builder.ScalarFloat("no_class", Channels);
        var isMax = Builder.Node("Equal", [Logits, ChannelMax()]);
        _labels = Builder.Node("ReduceMin", [Builder.Node("Where", [isMax, ClassIndex(), none])], OnnxGraphBuilder.Ints("axes", [1]),
            OnnxGraphBuilder.Int("keepdims", 1));
        return _labels;
    }

    /// <summary>Per pixel, <paramref name="perClass"/>[c] of the first-maximum class c, float32 [1,1,H,W]: a one-hot
    /// Where over the channels summed (one non-zero term, so the value is exact).</summary>
    public string GatherByLabel(string hint, float[] perClass)
    {
        ArgumentNullException.ThrowIfNull(perClass);
        if (perClass.Length != Channels)
        {
            throw new ArgumentException($"{hint}: expected {Channels} values (one per class), got {perClass.Length}.");
        }

        var oneHot = Builder.Node("Equal", [ClassIndex(), Labels()]);
        var values = Builder.Initializer(hint, perClass, [1, Channels, 1, 1]);
        var picked = Builder.Node("Where", [oneHot, values, Builder.ScalarFloat("zero", 0f)]);
        return Builder.Node("ReduceSum", [picked, Builder.Int64Initializer("axes", [1])], OnnxGraphBuilder.Int("keepdims", 1));
    }

    /// <summary>Whether <paramref name="channel"/> is the first maximum of the logits, bool [1,1,H,W]: it equals the
    /// maximum over all channels and is greater than every earlier channel.</summary>
    public string IsFirstMax(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        var value = Channel(Logits, channel);
        var isMax = Builder.Node("Equal", [value, ChannelMax()]);
        if (channel == 0)
        {
            return isMax;
        }

        var earlier = ReduceMax(Builder.Slice(Logits, [0], [channel], [1], [1]));
        return Builder.Node("And", [isMax, Builder.Node("Greater", [value, earlier])]);
    }

    /// <summary>Cast to uint8 (bool → 0/1, small float integers → their value).</summary>
    public string ToUInt8(string x) =>
        Builder.Node("Cast", [x], OnnxGraphBuilder.Int("to", (long)Onnx.TensorProto.Types.DataType.Uint8));

    private string ClassIndex() =>
        _classIndex ??= Builder.Initializer("class_index", [.. Enumerable.Range(0, Channels).Select(c => (float)c)], [1, Channels, 1, 1]);

    private string ReduceMax(string x) =>
        Builder.Node("ReduceMax", [x], OnnxGraphBuilder.Ints("axes", [1]), OnnxGraphBuilder.Int("keepdims", 1));
}
