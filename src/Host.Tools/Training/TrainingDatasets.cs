namespace Host.Tools.Training;

/// <summary>Opens the train and validation sets of a dataset folder by format (<c>cityscapes</c>, <c>camvid</c>, <c>images</c>).</summary>
public static class TrainingDatasets
{
    public static IReadOnlyList<string> Formats { get; } = ["cityscapes", "camvid", "images"];

    /// <summary>The format of a folder: Cityscapes (leftImg8bit/), CamVid (train/ + trainannot/), else a plain image folder.</summary>
    public static string Detect(string root) =>
        Directory.Exists(Path.Combine(root, "leftImg8bit")) ? "cityscapes"
        : Directory.Exists(Path.Combine(root, "trainannot")) ? "camvid"
        : "images";

    /// <summary>Train and validation sets; Cityscapes without a <c>val</c> split validates on its train images (logged).</summary>
    public static (TrainingDataset Train, TrainingDataset? Validation) Open(string format, string root, bool includeVoid, int unlabelledClasses)
    {
        switch (format.ToLowerInvariant())
        {
            case "cityscapes":
                var train = TrainingDataset.Cityscapes(root, "train", includeVoid);
                var hasVal = Directory.Exists(Path.Combine(root, "leftImg8bit", "val"));
                return (train, hasVal ? TrainingDataset.Cityscapes(root, "val", includeVoid) : train);
            case "camvid":
                return (TrainingDataset.CamVid(root, "train"), TrainingDataset.CamVid(root, "val"));
            case "images":
                return (TrainingDataset.Unlabelled(root, unlabelledClasses), null);
            default:
                throw new ArgumentException($"--dataset: expected one of {string.Join(", ", Formats)}, got '{format}'.");
        }
    }

    /// <summary>CLI model names (<c>enet</c>, <c>erfnet</c>, <c>bisenet</c>, <c>midenet</c>) to architectures; others pass through.</summary>
    public static string Architecture(string model) => model.ToLowerInvariant() switch
    {
        "enet" => "enet-seed",
        "bisenet" => "bisenetv1",
        _ => model,
    };
}
