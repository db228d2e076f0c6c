namespace Host.Tools.Export.Heads;

/// <summary>
/// The logits of a network inside a graph under construction, and the per-pixel reductions that several heads share
/// (channel maximum, softmax sums, first-maximum labels), each emitted once. The logits are split once into their C
/// planes [1,1,H,W] and every reduction over the channels is an element-wise op over those planes (a variadic Max, a
/// chain of Adds, or a scan over the planes): on ONNX Runtime CPU that costs about half of ReduceMax / ReduceSum / Where over the
/// [1,C,H,W] tensor, and every plane op is exact or rounds like the CPU scorers. Operators: Split, Max, Div, Sub,
/// Exp, Log, Add, Mul, Neg, Equal, Greater, And, Where, Cast — all supported by TensorRT's ONNX parser (no ArgMax,
/// whose tie order TensorRT does not promise).
/// </summary>
public sealed class HeadGraph
{
    private readonly Dictionary<float, SoftmaxTerms> _softmax = [];
    private readonly bool _labelsWanted;
    private string[]? _planes;
    private string? _max;
    private FirstMaxScan? _scan;

    /// <param name="labels">Whether the labels output is wanted: the channel maximum then comes from the same
    /// first-maximum scan as the labels instead of a separate Max.</param>
    public HeadGraph(OnnxGraphBuilder builder, string logits, int channels, bool labels = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(logits);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Builder = builder;
        Logits = logits;
        Channels = channels;
        _labelsWanted = labels;
    }

    public OnnxGraphBuilder Builder { get; }

    /// <summary>The logits value, float32 [1,C,H,W].</summary>
    public string Logits { get; }

    public int Channels { get; }

    /// <summary>The C planes l_c of the logits, each [1,1,H,W] (one Split).</summary>
    public IReadOnlyList<string> Planes() =>
        _planes ??= Channels == 1 ? [Logits] : Builder.NodeMulti("Split", [Logits], Channels, OnnxGraphBuilder.Int("axis", 1));

    /// <summary>max_c l_c over the channel axis, [1,1,H,W]: the first-maximum scan's running maximum when the labels
    /// are computed anyway, else one variadic Max over the planes. Exact either way.</summary>
    public string ChannelMax()
    {
        if (UsesScan)
        {
            return Scan().Max;
        }

        return _max ??= Max(Planes());
    }

    /// <summary>The softmax terms of l / T the way <c>SoftmaxKernels</c> computes them: m = max_c l_c / T,
    /// e_c = exp(l_c / T − m) per plane, s = Σ_c e_c. For T ≠ 1, m = max_c(l_c) / T, which equals max_c(l_c / T)
    /// exactly (division by T > 0 rounds monotonically).</summary>
    public SoftmaxTerms Softmax(float temperature)
    {
        if (_softmax.TryGetValue(temperature, out var terms))
        {
            return terms;
        }

        var planes = Planes();
        string max;
        string[] scaled;
        if (temperature == 1f)
        {
            // The CPU scorers skip the division for T = 1 too.
            max = ChannelMax();
            scaled = [.. planes];
        }
        else
        {
            var t = Builder.ScalarFloat("temperature", temperature);
            max = Builder.Node("Div", [ChannelMax(), t]);
            scaled = [.. planes.Select(p => Builder.Node("Div", [p, t]))];
        }

        var exp = scaled.Select(p => Builder.Node("Exp", [Builder.Node("Sub", [p, max])])).ToArray();
        terms = new SoftmaxTerms(max, exp, Sum(exp));
        _softmax[temperature] = terms;
        return terms;
    }

    /// <summary>Σ of <paramref name="planes"/> as a chain of Adds in class order (ONNX Runtime's binary Add is ~15 %
    /// cheaper here than a variadic Sum; the CPU scorers also add in class order).</summary>
    public string Sum(IReadOnlyList<string> planes)
    {
        ArgumentNullException.ThrowIfNull(planes);
        var sum = planes[0];
        for (var c = 1; c < planes.Count; c++)
        {
            sum = Builder.Node("Add", [sum, planes[c]]);
        }

        return sum;
    }

    /// <summary>
    /// The argmax class as float32 [1,1,H,W] with PyTorch's first-maximum rule, from a scan over the planes in class
    /// order: class c replaces the running label only where l_c is strictly greater than the running maximum, so on ties
    /// the earlier class stays (not ArgMax, whose tie order TensorRT does not promise).
    /// </summary>
    public string Labels() => Scan().Labels;

    /// <summary>Per pixel, <paramref name="perClass"/>[c] of the first-maximum class c, float32 [1,1,H,W]: picked along
    /// the first-maximum scan (a Where per class on the scan's masks), so the value is exactly perClass[c].</summary>
    public string GatherByLabel(string hint, float[] perClass)
    {
        ArgumentNullException.ThrowIfNull(perClass);
        if (perClass.Length != Channels)
        {
            throw new ArgumentException($"{hint}: expected {Channels} values (one per class), got {perClass.Length}.");
        }

        var scan = Scan();
        if (Channels == 1)
        {
            return Builder.Node("Add", [scan.Labels, Builder.ScalarFloat(hint, perClass[0])]);
        }

        var picked = Builder.ScalarFloat(hint, perClass[0]);
        for (var c = 1; c < Channels; c++)
        {
            picked = Builder.Node("Where", [scan.Replaces[c - 1], Builder.ScalarFloat(hint, perClass[c]), picked]);
        }

        return picked;
    }

    /// <summary>Whether <paramref name="channel"/> is the first maximum of the logits, bool [1,1,H,W]: labels ==
    /// channel when the labels are computed anyway; else l_channel equals the maximum over all channels and is greater
    /// than every earlier channel (just the Equal for channel 0).</summary>
    public string IsFirstMax(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        if (UsesScan)
        {
            return Builder.Node("Equal", [Labels(), Builder.ScalarFloat("road_class", channel)]);
        }

        var planes = Planes();
        var value = planes[channel];
        var isMax = Builder.Node("Equal", [value, ChannelMax()]);
        if (channel == 0)
        {
            return isMax;
        }

        var earlier = Max([.. planes.Take(channel)]);
        return Builder.Node("And", [isMax, Builder.Node("Greater", [value, earlier])]);
    }

    /// <summary>Cast to uint8 (bool → 0/1, small float integers → their value).</summary>
    public string ToUInt8(string x) =>
        Builder.Node("Cast", [x], OnnxGraphBuilder.Int("to", (long)Onnx.TensorProto.Types.DataType.Uint8));

    /// <summary>The first-maximum scan is (or will be) emitted: the labels are wanted or something already asked for it.</summary>
    private bool UsesScan => _scan is not null || _labelsWanted;

    private string Max(IReadOnlyList<string> planes) => planes.Count == 1 ? planes[0] : Builder.Node("Max", planes);

    /// <summary>One pass over the planes in class order: replaces_c = l_c > running max (strictly: ties keep the earlier
    /// class), running max = Max(running max, l_c), label = Where(replaces_c, c, label).</summary>
    private FirstMaxScan Scan()
    {
        if (_scan is not null)
        {
            return _scan;
        }

        var planes = Planes();
        var max = planes[0];
        // One class: zeros [1,1,H,W] (Greater(x, x) is false everywhere, NaN included); else the first Where broadcasts 0.
        var labels = Channels == 1
            ? Builder.Node("Cast", [Builder.Node("Greater", [max, max])], OnnxGraphBuilder.Int("to", (long)Onnx.TensorProto.Types.DataType.Float))
            : Builder.ScalarFloat("class", 0);
        var replaces = new List<string>(Channels - 1);
        for (var c = 1; c < Channels; c++)
        {
            var greater = Builder.Node("Greater", [planes[c], max]);
            replaces.Add(greater);
            max = Builder.Node("Max", [max, planes[c]]);
            labels = Builder.Node("Where", [greater, Builder.ScalarFloat("class", c), labels]);
        }

        _scan = new FirstMaxScan(max, labels, replaces);
        return _scan;
    }

    private sealed record FirstMaxScan(string Max, string Labels, IReadOnlyList<string> Replaces);
}
