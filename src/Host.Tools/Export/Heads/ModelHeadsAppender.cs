using System.Globalization;
using Edge.Runtime.Models;
using Onnx;

namespace Host.Tools.Export.Heads;

/// <summary>
/// Appends the scorer and road-mask heads to a model whose output is <c>logits</c> float32 [1,C,H,W]: the result's outputs
/// are <c>score</c> float32 [1,1,H,W], <c>road</c> uint8 [1,1,H,W] (0/1) and optionally <c>labels</c> uint8 [1,1,H,W];
/// the logits stay inside the graph. Works on any such graph: exported, quantized (QDQ) or pruned.
/// </summary>
public static class ModelHeadsAppender
{
    public const string LogitsName = "logits";
    public const string MetadataKey = "edgeseg.heads";

    /// <param name="voidIndex">The model card's void_index (VoidClass needs it).</param>
    /// <param name="sml">The model card's SML statistics (SML needs them).</param>
    public static ModelProto Append(ModelProto plain, ModelHeads heads, int? voidIndex, SmlStatistics? sml = null)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(heads);
        var (channels, height, width) = LogitsShape(plain);
        var errors = heads.Validate(channels, voidIndex);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"heads: invalid for a {channels}-class model: {string.Join("; ", errors)}.");
        }

        var emitter = ScoreHeadEmitters.Create(heads.Scorer, heads.Temperature, voidIndex, sml);
        var g = new OnnxGraphBuilder { InputSize = (height, width) };
        var outputs = new List<(string Value, string Name, TensorProto.Types.DataType Type)>();
        using (g.Scope("heads"))
        {
            var graph = new HeadGraph(g, LogitsName, channels, heads.HasLabels);
            outputs.Add((emitter.Emit(graph), ModelHeads.ScoreOutput, TensorProto.Types.DataType.Float));
            outputs.Add((graph.ToUInt8(graph.IsFirstMax(heads.RoadClass)), ModelHeads.RoadOutput, TensorProto.Types.DataType.Uint8));
            if (heads.HasLabels)
            {
                outputs.Add((graph.ToUInt8(graph.Labels()), ModelHeads.LabelsOutput, TensorProto.Types.DataType.Uint8));
            }
        }

        foreach (var (value, name, _) in outputs)
        {
            g.Rename(value, name);
        }

        var model = plain.Clone();
        CheckNoClash(model.Graph, g.Graph);
        model.Graph.Node.AddRange(g.Graph.Node);
        model.Graph.Initializer.AddRange(g.Graph.Initializer);
        var logits = model.Graph.Output.Single(o => o.Name == LogitsName);
        model.Graph.Output.Remove(logits);
        foreach (var (_, name, type) in outputs)
        {
            model.Graph.Output.Add(ValueInfo(name, type, [1, 1, height, width]));
        }

        model.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = Describe(heads) });
        return model;
    }

    /// <summary>Short description for the ONNX metadata and logs, e.g. <c>VoidClass T=1, road class 0, outputs score,road</c>.</summary>
    public static string Describe(ModelHeads heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        return string.Create(CultureInfo.InvariantCulture,
            $"{heads.Scorer} T={heads.Temperature:R}, road class {heads.RoadClass}, outputs {string.Join(",", heads.Outputs)}");
    }

    private static (int Channels, int Height, int Width) LogitsShape(ModelProto model)
    {
        var output = model.Graph.Output.FirstOrDefault(o => o.Name == LogitsName)
            ?? throw new ArgumentException(
                $"heads: expected a model with output '{LogitsName}', got outputs [{string.Join(", ", model.Graph.Output.Select(o => o.Name))}] (heads are appended to a plain model once).");
        var type = output.Type?.TensorType;
        var dims = type?.Shape?.Dim.Select(d => d.DimValue).ToArray() ?? [];
        if (type is null || type.ElemType != (int)TensorProto.Types.DataType.Float || dims.Length != 4 || dims[1] < 1 || dims[2] < 1 || dims[3] < 1)
        {
            throw new ArgumentException($"heads: output '{LogitsName}' expected float32 [1,C,H,W] with fixed C, H, W, got elem type {type?.ElemType} dims [{string.Join(", ", dims)}].");
        }

        return (checked((int)dims[1]), checked((int)dims[2]), checked((int)dims[3]));
    }

    private static void CheckNoClash(GraphProto model, GraphProto heads)
    {
        var taken = new HashSet<string>(model.Node.SelectMany(n => n.Output.Append(n.Name)).Concat(model.Initializer.Select(i => i.Name)).Concat(model.Input.Select(i => i.Name)), StringComparer.Ordinal);
        var clash = heads.Node.SelectMany(n => n.Output.Append(n.Name)).Concat(heads.Initializer.Select(i => i.Name)).FirstOrDefault(taken.Contains);
        if (clash is not null)
        {
            throw new ArgumentException($"heads: the model already has a value or node named '{clash}' (heads appended twice?).");
        }
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
