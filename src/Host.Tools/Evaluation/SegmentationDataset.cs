using Edge.Runtime.Models;

namespace Host.Tools.Evaluation;

/// <summary>A labelled segmentation set for mIoU: Cityscapes (labelIds → trainIds) or CamVid (0..10, 11 = void).</summary>
public sealed class SegmentationDataset
{
    public static readonly IReadOnlyList<string> CamVidClasses =
        ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist"];

    private SegmentationDataset(string name, IReadOnlyList<string> classes, byte[] labelMap, IReadOnlyList<SegmentationSample> samples)
    {
        Name = name;
        Classes = classes;
        LabelMap = labelMap;
        Samples = samples;
    }

    public string Name { get; }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Label file value → class index, or 255 (ignore).</summary>
    public byte[] LabelMap { get; }

    public IReadOnlyList<SegmentationSample> Samples { get; }

    /// <summary>
    /// <c>leftImg8bit/&lt;split&gt;/&lt;city&gt;/*_leftImg8bit.png</c> with <c>gtFine/&lt;split&gt;/&lt;city&gt;/*_gtFine_labelIds.png</c>;
    /// default split: <c>val</c> if present, else the only split there.
    /// </summary>
    public static SegmentationDataset Cityscapes(string root, string? split)
    {
        var images = Path.Combine(root, "leftImg8bit");
        if (!Directory.Exists(images))
        {
            throw new DirectoryNotFoundException($"Cityscapes folder '{root}': expected leftImg8bit/<split>/<city>/ (not found).");
        }

        split ??= ChooseSplit(images, ["val"], root);
        var splitDir = Path.Combine(images, split);
        if (!Directory.Exists(splitDir))
        {
            throw new DirectoryNotFoundException($"Cityscapes split '{split}' not found: '{splitDir}'.");
        }

        var samples = new List<SegmentationSample>();
        foreach (var image in Directory.GetFiles(splitDir, "*_leftImg8bit.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var city = Path.GetFileName(Path.GetDirectoryName(image)!);
            var stem = Path.GetFileName(image)[..^"_leftImg8bit.png".Length];
            var label = Path.Combine(root, "gtFine", split, city, stem + "_gtFine_labelIds.png");
            if (!File.Exists(label))
            {
                throw new FileNotFoundException($"Cityscapes: label '{label}' for image '{image}' not found.", label);
            }

            samples.Add(new SegmentationSample(image, label));
        }

        return new SegmentationDataset($"cityscapes-{split}", CityscapesClasses.TrainIds, CityscapesLabels.LabelIdToTrainId, Require(samples, splitDir));
    }

    /// <summary><c>&lt;split&gt;/</c> images with <c>&lt;split&gt;annot/</c> labels of the same stem (.png); default split <c>test</c>, else <c>val</c>.</summary>
    public static SegmentationDataset CamVid(string root, string? split)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"CamVid folder not found: '{root}'.");
        }

        split ??= ChooseSplit(root, ["test", "val"], root);
        var imageDir = Path.Combine(root, split);
        var labelDir = Path.Combine(root, split + "annot");
        if (!Directory.Exists(imageDir) || !Directory.Exists(labelDir))
        {
            throw new DirectoryNotFoundException($"CamVid split '{split}': expected '{imageDir}' and '{labelDir}'.");
        }

        var samples = new List<SegmentationSample>();
        foreach (var image in Directory.GetFiles(imageDir).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var label = Path.Combine(labelDir, Path.GetFileNameWithoutExtension(image) + ".png");
            if (!File.Exists(label))
            {
                throw new FileNotFoundException($"CamVid: label '{label}' for image '{image}' not found.", label);
            }

            samples.Add(new SegmentationSample(image, label));
        }

        var lut = new byte[256];
        Array.Fill(lut, (byte)255);
        for (var c = 0; c < CamVidClasses.Count; c++)
        {
            lut[c] = (byte)c;
        }

        return new SegmentationDataset($"camvid-{split}", CamVidClasses, lut, Require(samples, imageDir));
    }

    private static string ChooseSplit(string folder, string[] preferred, string root)
    {
        foreach (var p in preferred)
        {
            if (Directory.Exists(Path.Combine(folder, p)))
            {
                return p;
            }
        }

        var splits = Directory.GetDirectories(folder).Select(Path.GetFileName).Where(n => n is not null && !n.EndsWith("annot", StringComparison.Ordinal)).ToList();
        return splits.Count == 1
            ? splits[0]!
            : throw new DirectoryNotFoundException($"'{root}': no split {string.Join("/", preferred)} and not exactly one other split ([{string.Join(", ", splits)}]); pass --split.");
    }

    private static List<SegmentationSample> Require(List<SegmentationSample> samples, string where) =>
        samples.Count > 0 ? samples : throw new FileNotFoundException($"No images found in '{where}'.", where);
}
