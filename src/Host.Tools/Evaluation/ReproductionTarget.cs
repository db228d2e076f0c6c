namespace Host.Tools.Evaluation;

/// <summary>
/// A reference model of <c>reference-results.json</c>: which model of <c>models/manifest.json</c> reproduces it (null:
/// not yet reproducible) and which row of the paper's tables shows its VoidClass numbers (null: none).
/// </summary>
public sealed record ReproductionTarget(string ReferenceModel, string? OurModel, string? PaperTable, string? PaperRow, string Note)
{
    public static IReadOnlyList<ReproductionTarget> All { get; } =
    [
        new("enet-seed-340-void", "enet-seed-340-void", "Table 3", "ENet (340 epochs)", "ENet void classifier (340-epoch pretraining), float, same checkpoint."),
        new("enet-seed-560-void", "enet-seed-560-void", "Table 3", "ENet (560 epochs)", "ENet void classifier (560-epoch pretraining), float, same checkpoint."),
        new("midenet-distilled", "midenet-distilled", "Table 4", "MiDE-Net", "Distilled MiDE-Net, float, same checkpoint."),
        new("erfnet-void-int8-fx", null, "Table 4", "ERFNet (quantized)", "PyTorch FX int8 model (qnnpack); needs the int8 import of the compression issue. `erfnet-void-dequant` (its dequantized float weights) is not the same network numerically."),
    ];

    /// <summary>Reference dataset folder name → paper-tables.md column prefix.</summary>
    public static IReadOnlyDictionary<string, string> PaperColumns { get; } = new Dictionary<string, string>
    {
        ["RoadAnomaly21"] = "RA21",
        ["RoadObsticle21"] = "RO21",
        ["fs_static"] = "Static",
        ["RoadAnomaly"] = "RoadAnom",
    };
}
