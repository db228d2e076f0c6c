using System.Globalization;
using Edge.Runtime.Models;
using Host.Tools.Building;
using Host.Tools.Export;
using Host.Tools.Import;
using Host.Tools.Models;
using Host.Tools.Models.Erfnet;
using Microsoft.Extensions.Logging;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>
/// Imports a PyTorch FX int8 checkpoint of ERFNet (BN folded into conv1x3_*; e.g. the paper's
/// <c>colab/erfnet_finetuned_quantized_fx.pth</c>) or of MiDE-Net (BN folded into the bottleneck convolutions;
/// <c>midenet/midenet_quantized_fx.pth</c>) as a QDQ ONNX model that computes what the FX int8 model computes.
/// The graph is the float BN-folded network's export (<see cref="Erfnet"/> / <c>MideNet</c> with foldedBatchNorm); Q/DQ
/// pairs are placed where the FX model holds quint8 tensors, with the stored parameters:
/// <list type="bullet">
/// <item>input: <c>encoder_initial_block_conv_input_scale_0</c> (ERFNet) / <c>initial_conv_input_scale_0</c> (MiDE-Net)
/// and its <c>_zero_point_0</c>;</item>
/// <item>every conv / transposed conv: int8 weight, scales and zero points as stored (per channel axis 0 or per tensor),
/// output at the module's <c>scale</c>/<c>zero_point</c> — after its Relu where FX fused ConvReLU2d;</item>
/// <item>max-pool beside the initial / downsampler conv: requantized to the conv's parameters (the quantized cat that
/// joins them gets the conv's);</item>
/// <item>BN + ReLU (BNReLU2d) of down/upsamplers and MiDE-Net's initial block: the bn's <c>scale</c>/<c>zero_point</c>;</item>
/// <item>residual add + ReLU: the FX observer <c>{encoder|decoder}_layers_N_scale_0</c> (ERFNet) /
/// <c>bottleneckS_N_relu_scale_0</c> (MiDE-Net) and its <c>_zero_point_0</c>;</item>
/// <item>bilinear Resize (MiDE-Net): keeps its input's parameters, as quantized interpolation does;</item>
/// <item>biases: int32 with scale = input scale · weight scale (as fbgemm / qnnpack requantize).</item>
/// </list>
/// </summary>
public sealed class FxCheckpointImporter
{
    private static readonly (string InputKey, string Architecture)[] Layouts =
    [
        ("encoder_initial_block_conv_input", "erfnet-bnfolded"),
        ("initial_conv_input", "midenet-bnfolded"),
    ];

    private readonly ILogger _logger;

    public FxCheckpointImporter(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>The BN-folded float architecture an FX int8 checkpoint belongs to (by its input observer key).</summary>
    public static (string Architecture, string InputKey) Detect(Checkpoint checkpoint, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        foreach (var (key, architecture) in Layouts)
        {
            if (checkpoint.Tensors.ContainsKey(key + "_scale_0"))
            {
                return checkpoint.Tensors.Values.Any(t => t.IsQuantized)
                    ? (architecture, key)
                    : throw new InvalidDataException($"Checkpoint '{checkpointPath}': has '{key}_scale_0' but no qint8 weights; expected a PyTorch FX int8 state dict.");
            }
        }

        throw new InvalidDataException(
            $"Checkpoint '{checkpointPath}': expected a PyTorch FX int8 state dict of ERFNet or MiDE-Net (qint8 weights and " +
            $"{string.Join(" or ", Layouts.Select(l => $"'{l.InputKey}_scale_0'"))}).");
    }

    public ModelProto Build(string checkpointPath, int height, int width, int numClasses = 20)
    {
        var (checkpoint, architecture, inputKey) = Read(checkpointPath);
        using var network = NetworkImporter.Load(architecture, checkpointPath, numClasses);
        return Build(network, checkpoint, checkpointPath, inputKey, height, width);
    }

    /// <summary>Builds the model and writes it with its model card (atomically); returns the ONNX path.</summary>
    public string Write(string checkpointPath, string outputPath, int height, int width, ScoreKind defaultScore)
    {
        var (checkpoint, architecture, inputKey) = Read(checkpointPath);
        using var network = NetworkImporter.Load(architecture, checkpointPath);
        var model = Build(network, checkpoint, checkpointPath, inputKey, height, width);
        OnnxExporter.Save(model, outputPath);
        var card = ModelBuilder.CreateCard(network, Path.GetFileNameWithoutExtension(outputPath), defaultScore, Path.GetFullPath(checkpointPath),
            ModelBuilder.Sha256(checkpointPath), height, width) with { Architecture = architecture + "-int8" };
        card.Save(ModelCard.PathFor(outputPath));
        _logger.LogInformation("wrote {Path}", outputPath);
        return outputPath;
    }

    public static QuantizationPlan Plan(GraphProto graph, Checkpoint checkpoint, string checkpointPath, string inputKey = "encoder_initial_block_conv_input")
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var plan = new QuantizationPlan { QuantizeBias = true };
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);

        QuantParams Params(string scaleKey, string zeroKey)
        {
            if (!checkpoint.Tensors.TryGetValue(scaleKey, out var s) || !checkpoint.Tensors.TryGetValue(zeroKey, out var z))
            {
                throw new InvalidDataException($"Checkpoint '{checkpointPath}': missing '{scaleKey}' / '{zeroKey}' for the FX int8 graph.");
            }

            return new QuantParams((float)s.ToScalar(), (int)z.ToScalar(), QuantElementType.UInt8);
        }

        QuantParams ModuleParams(string module) => Params(module + ".scale", module + ".zero_point");

        // Output params go after a following Relu (FX fuses ConvReLU2d / BNReLU2d / add_relu); zero point 0 → fold it.
        void SetOutput(string tensor, QuantParams p)
        {
            var next = consumers[tensor].ToList();
            if (next.Count == 1 && next[0].OpType == "Relu")
            {
                plan.Activations[next[0].Output[0]] = p;
                if (p.ZeroPoint == 0)
                {
                    plan.FoldedRelus.Add(next[0].Name);
                }
            }
            else
            {
                plan.Activations[tensor] = p;
            }
        }

        var input = graph.Input[0].Name;
        plan.Activations[input] = Params(inputKey + "_scale_0", inputKey + "_zero_point_0");
        foreach (var node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv" or "ConvTranspose":
                {
                    var module = Prefix(node.Input[1]);
                    var w = checkpoint[module + ".weight"];
                    var q = w.Quantization ?? throw new InvalidDataException($"Checkpoint '{checkpointPath}': '{module}.weight' is not quantized.");
                    plan.Weights[node.Input[1]] = new WeightQuantization(w.GetInt8Values(), [.. q.Scales.Select(s => (float)s)],
                        [.. q.ZeroPoints.Select(z => (sbyte)z)], Math.Max(q.Axis, 0));
                    SetOutput(node.Output[0], ModuleParams(module));
                    break;
                }

                case "MaxPool":
                    plan.Activations[node.Output[0]] = ModuleParams(Prefix(node.Name) + ".conv");
                    break;
                case "BatchNormalization":
                    SetOutput(node.Output[0], ModuleParams(Prefix(node.Input[1])));
                    break;
                case "Add":
                {
                    // FX names the add(+relu) observer after the module path (ERFNet) or after the fused relu (MiDE-Net).
                    var block = Prefix(node.Name).Replace('.', '_');
                    var observer = checkpoint.Tensors.ContainsKey(block + "_scale_0") ? block : block + "_relu";
                    SetOutput(node.Output[0], Params(observer + "_scale_0", observer + "_zero_point_0"));
                    break;
                }

                case "Resize" when plan.Activations.TryGetValue(node.Input[0], out var resized):
                    plan.Activations[node.Output[0]] = resized;
                    break;
            }
        }

        return plan;
    }

    private static (Checkpoint Checkpoint, string Architecture, string InputKey) Read(string checkpointPath)
    {
        var checkpoint = PyTorchCheckpointReader.Read(checkpointPath);
        var (architecture, inputKey) = Detect(checkpoint, checkpointPath);
        return (checkpoint, architecture, inputKey);
    }

    private ModelProto Build(SegmentationNetwork network, Checkpoint checkpoint, string checkpointPath, string inputKey, int height, int width)
    {
        var model = OnnxExporter.Build(network, height, width, metadata: new Dictionary<string, string>
        {
            ["edgeseg.architecture"] = network.Architecture + "-int8",
            ["edgeseg.quantization"] = "PyTorch FX int8 checkpoint as QDQ: quint8 activations, qint8 weights, int32 bias; parameters as stored",
            ["edgeseg.source"] = Path.GetFileName(checkpointPath),
        });
        var plan = Plan(model.Graph, checkpoint, checkpointPath, inputKey);
        QdqRewriter.Apply(model, plan);
        _logger.LogInformation("{Checkpoint} ({Architecture}): {Activations} quantized activations, {Weights} int8 weights, {Relus} Relus folded",
            Path.GetFileName(checkpointPath), network.Architecture, plan.Activations.Count, plan.Weights.Count, plan.FoldedRelus.Count);
        return model;
    }

    private static string Prefix(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[..dot];
    }

    public static string Describe(QuantParams p) => string.Create(CultureInfo.InvariantCulture, $"scale={p.Scale:R} zp={p.ZeroPoint}");
}
