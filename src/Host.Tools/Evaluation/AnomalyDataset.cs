namespace Host.Tools.Evaluation;

/// <summary>
/// An anomaly validation set in the course layout: <c>images/</c> and <c>labels_masks/</c>, mask = image stem + <c>.png</c>.
/// Mask values: 1 = anomaly, 0 = normal, anything else ignored; sets whose name contains "RoadAnomaly" (RoadAnomaly and,
/// as in the paper's code, RoadAnomaly21) also count value 2 as anomaly.
/// </summary>
public sealed class AnomalyDataset
{
    public const byte Normal = 0;
    public const byte Anomaly = 1;
    public const byte Ignore = 255;
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    private AnomalyDataset(string name, string root, IReadOnlyList<AnomalySample> samples, byte[] labelMap)
    {
        Name = name;
        Root = root;
        Samples = samples;
        LabelMap = labelMap;
    }

    public string Name { get; }

    public string Root { get; }

    public IReadOnlyList<AnomalySample> Samples { get; }

    /// <summary>Mask value → <see cref="Anomaly"/>, <see cref="Normal"/> or <see cref="Ignore"/>.</summary>
    public byte[] LabelMap { get; }

    public static bool IsDatasetFolder(string path) =>
        Directory.Exists(Path.Combine(path, "images")) && Directory.Exists(Path.Combine(path, "labels_masks"));

    /// <summary>
    /// <paramref name="data"/> is one dataset folder or a folder of dataset folders; <paramref name="only"/> (names,
    /// case-insensitive) selects some. Images without a mask are an error naming the missing mask.
    /// </summary>
    public static IReadOnlyList<AnomalyDataset> Discover(string data, IReadOnlyCollection<string>? only = null)
    {
        if (!Directory.Exists(data))
        {
            throw new DirectoryNotFoundException($"--data: dataset folder not found: '{data}'.");
        }

        var folders = IsDatasetFolder(data)
            ? [Path.GetFullPath(data)]
            : Directory.GetDirectories(data).Where(IsDatasetFolder).Select(Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
        {
            throw new DirectoryNotFoundException($"--data '{data}': expected a dataset folder with images/ and labels_masks/, or a folder of such folders; found none.");
        }

        if (only is { Count: > 0 })
        {
            var names = folders.Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = only.Where(o => !names.Contains(o)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"--datasets: unknown dataset(s) {string.Join(", ", unknown)}; available: {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
            }

            folders = [.. folders.Where(f => only.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase))];
        }

        return [.. folders.Select(Open)];
    }

    public static AnomalyDataset Open(string folder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var images = Directory.GetFiles(Path.Combine(folder, "images"))
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f, NaturalFileComparer.Instance)
            .ToList();
        var samples = new List<AnomalySample>(images.Count);
        foreach (var image in images)
        {
            var mask = Path.Combine(folder, "labels_masks", Path.GetFileNameWithoutExtension(image) + ".png");
            if (!File.Exists(mask))
            {
                throw new FileNotFoundException($"Dataset {name}: label mask '{mask}' for image '{image}' not found.", mask);
            }

            samples.Add(new AnomalySample(image, mask));
        }

        return new AnomalyDataset(name, folder, samples, CreateLabelMap(name));
    }

    public static byte[] CreateLabelMap(string datasetName)
    {
        var map = new byte[256];
        Array.Fill(map, Ignore);
        map[0] = Normal;
        map[1] = Anomaly;
        if (datasetName.Contains("RoadAnomaly", StringComparison.OrdinalIgnoreCase))
        {
            map[2] = Anomaly;
        }

        return map;
    }
}
