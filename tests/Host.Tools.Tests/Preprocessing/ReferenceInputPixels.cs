using System.Text.Json;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.Preprocessing;

/// <summary>Reads /work/shared/reference/reference-logits.json (sample positions and per-model, per-image references).</summary>
internal sealed class ReferenceInputPixels
{
    private ReferenceInputPixels(int[] ys, int[] xs, Dictionary<string, Dictionary<string, ImageReference>> models)
    {
        Ys = ys;
        Xs = xs;
        Models = models;
    }

    public int[] Ys { get; }

    public int[] Xs { get; }

    /// <summary>model name → image path (relative to shared) → reference.</summary>
    public Dictionary<string, Dictionary<string, ImageReference>> Models { get; }

    public static ReferenceInputPixels Load()
    {
        var path = TestPaths.Shared(Path.Combine("reference", "reference-logits.json"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var ys = root.GetProperty("ys").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var xs = root.GetProperty("xs").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var models = new Dictionary<string, Dictionary<string, ImageReference>>();
        foreach (var model in root.GetProperty("models").EnumerateObject())
        {
            var images = new Dictionary<string, ImageReference>();
            foreach (var image in model.Value.EnumerateObject())
            {
                var pixels = image.Value.GetProperty("input_pixels_at_samples").EnumerateArray()
                    .Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray())
                    .ToArray();
                images[image.Name] = new ImageReference(image.Value.GetProperty("input_checksum_mean").GetDouble(), pixels);
            }

            models[model.Name] = images;
        }

        return new ReferenceInputPixels(ys, xs, models);
    }

    internal sealed record ImageReference(double InputMean, double[][] InputPixelsAtSamples);
}
