using Host.Tools.Evaluation;

namespace Host.Tools.Training;

/// <summary>
/// A set of training images with the label mapping: label-file value → class index, or <see cref="IgnoreIndex"/>.
/// Cityscapes: labelIds → 19 trainIds (cityscapesScripts), the rest ignored, or, with void, the rest → class 19.
/// CamVid: 0..10 kept, 11 (void) and above ignored. Unlabelled: a folder of images without labels.
/// </summary>
public sealed class TrainingDataset
{
    public const byte IgnoreIndex = 255;
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    private TrainingDataset(string name, IReadOnlyList<string> classes, byte[] labelMap, IReadOnlyList<TrainingSample> samples)
    {
        Name = name;
        Classes = classes;
        LabelMap = labelMap;
        Samples = samples;
    }

    public string Name { get; }

    public IReadOnlyList<string> Classes { get; }

    public int NumClasses => Classes.Count;

    /// <summary>256 entries: label value → class index or <see cref="IgnoreIndex"/>.</summary>
    public byte[] LabelMap { get; }

    public IReadOnlyList<TrainingSample> Samples { get; }

    public bool IsLabelled => Samples.All(s => s.LabelPath is not null);

    /// <summary>Cityscapes layout (leftImg8bit/&lt;split&gt;/&lt;city&gt;, gtFine/... labelIds).</summary>
    public static TrainingDataset Cityscapes(string root, string split, bool includeVoid)
    {
        var set = SegmentationDataset.Cityscapes(root, split);
        var lut = (byte[])CityscapesLabels.LabelIdToTrainId.Clone();
        IReadOnlyList<string> classes = Edge.Runtime.Models.CityscapesClasses.TrainIds;
        if (includeVoid)
        {
            var voidClass = (byte)Edge.Runtime.Models.CityscapesClasses.VoidIndex;
            for (var i = 0; i < lut.Length; i++)
            {
                if (lut[i] == IgnoreIndex)
                {
                    lut[i] = voidClass;
                }
            }

            classes = Edge.Runtime.Models.CityscapesClasses.WithVoid;
        }

        return new TrainingDataset(set.Name + (includeVoid ? "-void" : string.Empty), classes, lut,
            [.. set.Samples.Select(s => new TrainingSample(s.ImagePath, s.LabelPath))]);
    }

    /// <summary>CamVid layout (&lt;split&gt;/ images, &lt;split&gt;annot/ labels 0..10, 11 = void → ignore).</summary>
    public static TrainingDataset CamVid(string root, string split)
    {
        var set = SegmentationDataset.CamVid(root, split);
        return new TrainingDataset(set.Name, set.Classes, set.LabelMap, [.. set.Samples.Select(s => new TrainingSample(s.ImagePath, s.LabelPath))]);
    }

    /// <summary>Every image of a folder (recursively), no labels; <paramref name="numClasses"/> as the teacher's.</summary>
    public static TrainingDataset Unlabelled(string folder, int numClasses)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Image folder not found: '{folder}'.");
        }

        var images = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => new TrainingSample(f, null))
            .ToList();
        if (images.Count == 0)
        {
            throw new FileNotFoundException($"No images (png/jpg/webp/bmp) found in '{folder}'.", folder);
        }

        var lut = new byte[256];
        Array.Fill(lut, IgnoreIndex);
        return new TrainingDataset("images-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)),
            [.. Enumerable.Range(0, numClasses).Select(i => $"class{i}")], lut, images);
    }

    /// <summary>The first <paramref name="count"/> samples (tests and quick runs).</summary>
    public TrainingDataset Take(int count) => new(Name, Classes, LabelMap, [.. Samples.Take(count)]);
}
