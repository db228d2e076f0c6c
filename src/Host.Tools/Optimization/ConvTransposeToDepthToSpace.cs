using Host.Tools.Export;
using Host.Tools.Quantization;
using Onnx;

namespace Host.Tools.Optimization;

/// <summary>
/// A strided ConvTranspose → one Conv over the input that computes all s×s output phases as channels, then
/// DepthToSpace(s, CRD). Exact: output row s·m + a of the transposed convolution reads input rows m + d for the kernel
/// taps k with a + pad_begin − k = s·d, so phase a is a small convolution with those taps, and every phase shares the
/// same input window. ONNX Runtime's CPU ConvTranspose is a GEMM + single-threaded col2im; its Conv is its fastest
/// kernel and has an int8 form (QLinearConv), and DepthToSpace moves uint8 as cheaply as float.
/// Skipped (left as is): groups, dilations, auto_pad, output_shape, unequal strides, non-constant weights, and
/// paddings that would need a crop.
/// </summary>
public sealed class ConvTransposeToDepthToSpace : IGraphRewrite
{
    private readonly Func<NodeProto, bool> _include;

    /// <param name="include">Which ConvTranspose nodes to rewrite (default: all that qualify).</param>
    public ConvTransposeToDepthToSpace(Func<NodeProto, bool>? include = null)
    {
        _include = include ?? (_ => true);
    }

    public string Name => "convtranspose-to-depthtospace";

    public int Apply(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var index = new GraphIndex(graph);
        var count = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "ConvTranspose" || !_include(node) || !TryPlan(node, index, out var plan))
            {
                continue;
            }

            var w = index.Initializers[node.Input[1]];
            var weight = OnnxTensors.ReadFloats(w);
            var sourceBias = GraphIndex.OptionalInput(node, 2);
            var bias = sourceBias is not null ? OnnxTensors.ReadFloats(index.Initializers[sourceBias]) : null;
            var (cin, cout, kh, kw) = ((int)w.Dims[0], (int)w.Dims[1], (int)w.Dims[2], (int)w.Dims[3]);
            var s = plan.Stride;
            var outChannels = cout * s * s;
            var phaseWeight = new float[outChannels * cin * plan.Y.Kernel * plan.X.Kernel];
            var phaseBias = new float[outChannels];
            for (var c = 0; c < cout; c++)
            {
                for (var a = 0; a < s; a++)
                {
                    for (var b = 0; b < s; b++)
                    {
                        var oc = (c * s * s) + (a * s) + b;
                        phaseBias[oc] = bias?[c] ?? 0f;
                        foreach (var (ky, ty) in plan.Y.Taps[a])
                        {
                            foreach (var (kx, tx) in plan.X.Taps[b])
                            {
                                for (var ci = 0; ci < cin; ci++)
                                {
                                    phaseWeight[(((oc * cin) + ci) * plan.Y.Kernel + ty) * plan.X.Kernel + tx] =
                                        weight[(((ci * cout) + c) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                }
            }

            var weightName = Unique(index, w.Name + ".phases");
            var biasName = Unique(index, (sourceBias ?? w.Name) + ".phases_bias");
            foreach (var tensor in new[] { OnnxTensors.Float(weightName, phaseWeight, [outChannels, cin, plan.Y.Kernel, plan.X.Kernel]), OnnxTensors.Float(biasName, phaseBias, [outChannels]) })
            {
                graph.Initializer.Add(tensor);
                index.Initializers[tensor.Name] = tensor;
            }

            var phases = node.Output[0] + "/phases";
            var conv = new NodeProto { OpType = "Conv", Name = node.Name + "/phases" };
            conv.Input.Add(node.Input[0]);
            conv.Input.Add(weightName);
            conv.Input.Add(biasName);
            conv.Output.Add(phases);
            conv.Attribute.Add(OnnxGraphBuilder.Ints("kernel_shape", [plan.Y.Kernel, plan.X.Kernel]));
            conv.Attribute.Add(OnnxGraphBuilder.Ints("pads", [plan.Y.PadBegin, plan.X.PadBegin, plan.Y.PadEnd, plan.X.PadEnd]));
            conv.Attribute.Add(OnnxGraphBuilder.Ints("strides", [1, 1]));
            var d2s = new NodeProto { OpType = "DepthToSpace", Name = node.Name + "/depth_to_space" };
            d2s.Input.Add(phases);
            d2s.Output.Add(node.Output[0]);
            d2s.Attribute.Add(OnnxGraphBuilder.Int("blocksize", s));
            d2s.Attribute.Add(OnnxGraphBuilder.Str("mode", "CRD"));
            graph.Node[i] = conv;
            graph.Node.Insert(i + 1, d2s);
            i++;
            count++;
        }

        GraphCleanup.RemoveUnusedInitializers(graph);
        return count;
    }

    private static bool TryPlan(NodeProto node, GraphIndex index, out Plan plan)
    {
        plan = default;
        if (!index.Initializers.TryGetValue(node.Input[1], out var w) || w.Dims.Count != 4
            || (GraphIndex.OptionalInput(node, 2) is { } bias && !index.Initializers.ContainsKey(bias))
            || (GraphIndex.Attribute(node, "group")?.I ?? 1) != 1
            || GraphIndex.Attribute(node, "output_shape") is not null
            || (GraphIndex.Attribute(node, "auto_pad") is { } autoPad && autoPad.S.ToStringUtf8() is not ("" or "NOTSET"))
            || (GraphIndex.Ints(node, "dilations") is { } dilations && dilations.Any(d => d != 1)))
        {
            return false;
        }

        var strides = GraphIndex.Ints(node, "strides") ?? [1, 1];
        var pads = GraphIndex.Ints(node, "pads") ?? [0, 0, 0, 0];
        var outputPadding = GraphIndex.Ints(node, "output_padding") ?? [0, 0];
        if (strides.Length != 2 || strides[0] != strides[1] || strides[0] < 2 || pads.Length != 4 || outputPadding.Length != 2)
        {
            return false;
        }

        var s = (int)strides[0];
        if (!TryAxis(s, (int)w.Dims[2], (int)pads[0], (int)pads[2], (int)outputPadding[0], out var y)
            || !TryAxis(s, (int)w.Dims[3], (int)pads[1], (int)pads[3], (int)outputPadding[1], out var x))
        {
            return false;
        }

        plan = new Plan(s, y, x);
        return true;
    }

    /// <summary>
    /// One spatial axis: output s·m + a = Σ over taps k with (a + padBegin − k) = s·d of x[m + d]·w[k]. The phase
    /// convolution has kernel dmax − dmin + 1, begin pad −dmin, and an end pad that makes its output length L_out / s,
    /// where L_out = s·(N − 1) + K + outputPadding − padBegin − padEnd.
    /// </summary>
    internal static bool TryAxis(int s, int kernel, int padBegin, int padEnd, int outputPadding, out Axis axis)
    {
        axis = default;
        var growth = outputPadding + kernel - padBegin - padEnd - s; // L_out − s·N
        if (growth % s != 0)
        {
            return false;
        }

        var taps = new List<(int K, int D)>[s];
        int dmin = int.MaxValue, dmax = int.MinValue;
        for (var a = 0; a < s; a++)
        {
            taps[a] = [];
            for (var k = 0; k < kernel; k++)
            {
                var r = a + padBegin - k;
                if (((r % s) + s) % s != 0)
                {
                    continue;
                }

                var d = (int)Math.Floor(r / (double)s);
                taps[a].Add((k, d));
                dmin = Math.Min(dmin, d);
                dmax = Math.Max(dmax, d);
            }
        }

        if (dmin == int.MaxValue || dmin > 0)
        {
            return false;
        }

        var conv = dmax - dmin + 1;
        var begin = -dmin;
        var end = (growth / s) - begin + conv - 1;
        if (end < 0)
        {
            return false;
        }

        axis = new Axis(conv, begin, end, taps.Select(t => t.Select(p => (p.K, p.D + begin)).ToArray()).ToArray());
        return true;
    }

    private static string Unique(GraphIndex index, string name)
    {
        var candidate = name;
        for (var n = 1; index.Initializers.ContainsKey(candidate); n++)
        {
            candidate = $"{name}{n}";
        }

        return candidate;
    }

    /// <summary>Phase convolution of one axis: kernel length, pads, and per phase the (transposed tap, conv tap) pairs.</summary>
    internal readonly record struct Axis(int Kernel, int PadBegin, int PadEnd, (int K, int T)[][] Taps);

    private readonly record struct Plan(int Stride, Axis Y, Axis X);
}
