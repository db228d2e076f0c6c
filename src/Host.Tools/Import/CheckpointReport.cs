using System.Globalization;
using System.Text;

namespace Host.Tools.Import;

/// <summary>Markdown descriptions of checkpoints: key lists with dtype, shape and quantization, summaries and differences.</summary>
public static class CheckpointReport
{
    /// <summary>One line per tensor: <c>key | dtype | shape | quantization</c>, then the non-tensor entries. <paramref name="maxKeys"/> limits the list.</summary>
    public static string KeyTable(Checkpoint checkpoint, int? maxKeys = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var sb = new StringBuilder();
        sb.AppendLine("| # | key | dtype | shape | quantization |");
        sb.AppendLine("|---|---|---|---|---|");
        var index = 0;
        foreach (var (key, tensor) in checkpoint.Tensors)
        {
            if (maxKeys is { } max && index >= max)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| ... | ({checkpoint.Tensors.Count - max} more) | | | |");
                break;
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"| {index} | `{key}` | {DTypeName(tensor)} | {tensor.ShapeText} | {QuantizationText(tensor)} |");
            index++;
        }

        if (checkpoint.OtherEntries.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Non-tensor entries:");
            foreach (var (key, value) in checkpoint.OtherEntries)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- `{key}` = {ValueText(value)}");
            }
        }

        return sb.ToString();
    }

    /// <summary>Counts: tensors, non-tensor entries, dtypes, quantization schemes, module prefix, parameter count.</summary>
    public static string Summary(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var tensors = checkpoint.Tensors.Values.ToList();
        var dtypes = tensors.GroupBy(DTypeName).Select(g => $"{g.Key} x{g.Count()}");
        var schemes = tensors.Where(t => t.IsQuantized)
            .GroupBy(t => t.Quantization!.Scheme == QuantizationScheme.PerTensorAffine ? "per_tensor_affine" : $"per_channel_affine(axis {t.Quantization.Axis})")
            .Select(g => $"{g.Key} x{g.Count()}");
        var weights = checkpoint.Tensors
            .Where(kv => kv.Key.EndsWith(".weight", StringComparison.Ordinal) || kv.Key.EndsWith(".bias", StringComparison.Ordinal))
            .Sum(kv => kv.Value.ElementCount);
        var sb = new StringBuilder();
        var others = checkpoint.OtherEntries.Count > 0
            ? " (" + string.Join(", ", checkpoint.OtherEntries.Select(kv => $"`{kv.Key}`={ValueText(kv.Value)}")) + ")"
            : string.Empty;
        var topLevel = checkpoint.StateDictKey is null ? "bare state dict" : $"dict with the state dict under `{checkpoint.StateDictKey}`";
        sb.AppendLine(CultureInfo.InvariantCulture, $"- tensors: {tensors.Count}; non-tensor entries: {checkpoint.OtherEntries.Count}{others}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- top level: {topLevel}; `module.` prefix: {(checkpoint.HadModulePrefix ? "yes (stripped)" : "no")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- dtypes: {string.Join(", ", dtypes)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- quantized tensors: {(schemes.Any() ? string.Join(", ", schemes) : "none")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- elements in `*.weight` + `*.bias`: {weights:N0}");
        return sb.ToString();
    }

    /// <summary>Keys, dtypes, shapes and quantization schemes that differ between two checkpoints, and tensors whose values differ.</summary>
    public static string Differences(Checkpoint baseline, Checkpoint other)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(other);
        var sb = new StringBuilder();
        var onlyBase = baseline.Tensors.Keys.Except(other.Tensors.Keys).ToList();
        var onlyOther = other.Tensors.Keys.Except(baseline.Tensors.Keys).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- keys only in the first: {(onlyBase.Count == 0 ? "none" : string.Join(", ", onlyBase.Select(k => $"`{k}`")))}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- keys only in the second: {(onlyOther.Count == 0 ? "none" : string.Join(", ", onlyOther.Select(k => $"`{k}`")))}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- same key order: {(baseline.Tensors.Keys.SequenceEqual(other.Tensors.Keys) ? "yes" : "no")}");
        var layout = new List<string>();
        var changed = new List<string>();
        var pruned = new List<string>();
        foreach (var (key, a) in baseline.Tensors)
        {
            if (!other.Tensors.TryGetValue(key, out var b))
            {
                continue;
            }

            if (DTypeName(a) != DTypeName(b) || a.ShapeText != b.ShapeText || SchemeText(a) != SchemeText(b))
            {
                layout.Add($"`{key}`: {DTypeName(a)} {a.ShapeText} {SchemeText(a)} vs {DTypeName(b)} {b.ShapeText} {SchemeText(b)}");
                continue;
            }

            if (!a.ToDouble().SequenceEqual(b.ToDouble()))
            {
                changed.Add(key);
            }

            if (a.IsQuantized && a.Shape.Length == 4)
            {
                var za = ZeroFilters(a);
                var zb = ZeroFilters(b);
                if (za != zb)
                {
                    pruned.Add($"`{key}` {zb}/{b.Shape[0]} (was {za})");
                }
            }
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"- dtype/shape/scheme differences: {(layout.Count == 0 ? "none" : string.Join("; ", layout))}");
        var changedModules = changed.Select(TopModule).Distinct().ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- tensors with different values: {changed.Count} of {baseline.Tensors.Count}, in top-level modules: {string.Join(", ", changedModules)}");
        var unchangedModules = baseline.Tensors.Keys.Select(TopModule).Distinct().Except(changedModules).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- top-level modules with identical values: {(unchangedModules.Count == 0 ? "none" : string.Join(", ", unchangedModules))}");
        if (pruned.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- quantized conv weights with all-zero output filters (dim 0) in the second: {string.Join(", ", pruned)}");
        }

        return sb.ToString();
    }

    /// <summary>The report of docs/checkpoints.md for the checkpoints under <paramref name="weightsRoot"/>.</summary>
    public static string BuildDocument(string weightsRoot)
    {
        ArgumentNullException.ThrowIfNull(weightsRoot);
        Checkpoint Read(string relative) => PyTorchCheckpointReader.Read(Path.Combine(weightsRoot, relative));

        var sb = new StringBuilder();
        sb.AppendLine("# Checkpoints in ../shared/weights");
        sb.AppendLine();
        sb.AppendLine("Generated by `Host.Tools.Import.CheckpointReport.BuildDocument` (regenerate: `EDGESEG_WRITE_DOCS=1 dotnet test tests/Host.Tools.Tests -c Release --filter CheckpointReportTests`).");
        sb.AppendLine("Keys are shown with the DataParallel `module.` prefix stripped, as `PyTorchCheckpointReader` returns them. Shapes are PyTorch's");
        sb.AppendLine("(conv [out, in/groups, kh, kw], ConvTranspose2d [in, out, kh, kw]). Quantized weights: real = (q - zero_point) * scale.");
        sb.AppendLine("Many quantized weights are saved channels-last (non-contiguous strides); the reader returns logical row-major order.");
        sb.AppendLine();
        sb.AppendLine("## All files");
        sb.AppendLine();
        sb.AppendLine("| file | tensors | non-tensor | `module.` | quantized |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var file in Directory.EnumerateFiles(weightsRoot, "*.pth", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var ckpt = PyTorchCheckpointReader.Read(file);
            var q = ckpt.Tensors.Values.Where(t => t.IsQuantized).ToList();
            var qText = q.Count == 0 ? "-" : $"{q.Count} ({q.Count(t => t.Quantization!.Scheme == QuantizationScheme.PerChannelAffine)} per-channel)";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {Path.GetRelativePath(weightsRoot, file)} | {ckpt.Tensors.Count} | {ckpt.OtherEntries.Count} | {(ckpt.HadModulePrefix ? "yes" : "no")} | {qText} |");
        }

        void Section(string title, string relative, Func<Checkpoint, string> body)
        {
            var ckpt = Read(relative);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {title}: `{relative}`");
            sb.AppendLine();
            sb.Append(Summary(ckpt));
            sb.AppendLine();
            sb.Append(body(ckpt));
        }

        Section("ENet seed, pretrained 560 epochs", "seed/pretrained/enet_560_epochs.pth", c => KeyTable(c));
        Section("ENet seed void classifier, finetuned 560", "seed/finetuning/enet_560_epochs_finetuned.pth", c => Differences(Read("seed/pretrained/enet_560_epochs.pth"), c));
        Section("MiDE-Net distilled", "seed/distillation/midenet_distilled.pth", c => KeyTable(c));
        Section("ENet davidtvs (first 30 keys)", "enet-davidtvs/model_best.pth", c => KeyTable(c, 30));
        Section("ERFNet void classifier, FX int8 (BN folded into conv1x3_*)", "seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth", c => KeyTable(c));
        Section(
            "ERFNet, pruned 30% + FX int8 (differences from the unpruned FX file)",
            "seed/pruning_quantization/colab/erfnet_finetuned_pruned_30%_quantized_fx.pth",
            c => Differences(Read("seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth"), c));
        Section("Romera ERFNet, eager int8 (BN not fused)", "romera-erfnet-int8/erfnet_quantized.pth", c => KeyTable(c));
        Section("MiDE-Net FX int8 (summary)", "seed/pruning_quantization/midenet/midenet_quantized_fx.pth", c => KeyTable(c));
        return sb.ToString();
    }

    private static string TopModule(string key) => key.Contains('.', StringComparison.Ordinal) ? key.Split('.')[0] : "(FX activation qparams)";

    private static int ZeroFilters(CheckpointTensor tensor)
    {
        var values = tensor.ToFloat();
        var perFilter = values.Length / (int)tensor.Shape[0];
        var count = 0;
        for (var o = 0; o < tensor.Shape[0]; o++)
        {
            var allZero = true;
            for (var i = o * perFilter; i < (o + 1) * perFilter && allZero; i++)
            {
                allZero = values[i] == 0f;
            }

            count += allZero ? 1 : 0;
        }

        return count;
    }

    private static string DTypeName(CheckpointTensor tensor) => tensor.DType switch
    {
        CheckpointDType.Float32 => "float32",
        CheckpointDType.Float64 => "float64",
        CheckpointDType.Float16 => "float16",
        CheckpointDType.BFloat16 => "bfloat16",
        CheckpointDType.Int64 => "int64",
        CheckpointDType.Int32 => "int32",
        CheckpointDType.Int16 => "int16",
        CheckpointDType.Int8 => "int8",
        CheckpointDType.UInt8 => "uint8",
        CheckpointDType.Bool => "bool",
        CheckpointDType.QInt8 => "qint8",
        CheckpointDType.QUInt8 => "quint8",
        CheckpointDType.QInt32 => "qint32",
        _ => tensor.DType.ToString(),
    };

    private static string SchemeText(CheckpointTensor tensor) => tensor.Quantization switch
    {
        null => "-",
        { Scheme: QuantizationScheme.PerTensorAffine } => "per_tensor",
        var q => $"per_channel(axis {q.Axis})",
    };

    private static string QuantizationText(CheckpointTensor tensor)
    {
        var q = tensor.Quantization;
        if (q is null)
        {
            return tensor.ElementCount == 1 && (tensor.Shape.Length == 0 || tensor.Shape is [1])
                ? "= " + tensor.ToScalar().ToString("G9", CultureInfo.InvariantCulture)
                : string.Empty;
        }

        if (q.Scheme == QuantizationScheme.PerTensorAffine)
        {
            return string.Create(CultureInfo.InvariantCulture, $"per_tensor_affine scale={q.Scale:G9} zp={q.ZeroPoint}");
        }

        var zeroPoints = q.ZeroPoints.All(z => z == 0) ? "all 0" : "mixed";
        return string.Create(CultureInfo.InvariantCulture, $"per_channel_affine axis={q.Axis}, {q.Scales.Count} float64 scales [{q.Scales.Min():G3}..{q.Scales.Max():G3}], zp {zeroPoints}");
    }

    private static string ValueText(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        object?[] tuple => "(" + string.Join(", ", tuple.Select(ValueText)) + ")",
        CheckpointTensor t => t.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? value.GetType().Name,
    };
}
