using System.Text.Json;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.Reference;

/// <summary>reference/reference-logits.json: PyTorch logits of three checkpoints on two images at 256 sampled pixels.</summary>
internal sealed class ReferenceLogits
{
    private ReferenceLogits(int[] ys, int[] xs, JsonElement models)
    {
        Ys = ys;
        Xs = xs;
        Models = models;
    }

    public int[] Ys { get; }

    public int[] Xs { get; }

    public JsonElement Models { get; }

    public static ReferenceLogits Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Shared("reference/reference-logits.json")));
        var root = doc.RootElement.Clone();
        return new ReferenceLogits(
            root.GetProperty("ys").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("xs").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("models"));
    }

    public float[][] LogitsAtSamples(string model, string image) =>
        Models.GetProperty(model).GetProperty(image).GetProperty("logits_at_samples").EnumerateArray()
            .Select(c => c.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    public double[] ChannelMeans(string model, string image) =>
        Models.GetProperty(model).GetProperty(image).GetProperty("logit_channel_means").EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
