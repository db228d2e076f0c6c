using Edge.Runtime.Models;
using Host.Tools.Export.Heads;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>What <c>--heads</c>, <c>--heads-temperature</c>, <c>--heads-labels</c> of export / quantize do.</summary>
internal static class HeadsOptions
{
    /// <summary>Writes <c>&lt;plain&gt;-heads.onnx</c> with the card's default score; returns its path.</summary>
    public static string Write(ILogger logger, string plainOnnxPath, double? temperature, bool labels)
    {
        var card = ModelCard.Load(ModelCard.PathFor(plainOnnxPath));
        var heads = ModelHeadsWriter.DefaultFor(card, labels);
        if (temperature is { } t)
        {
            heads = heads with { Temperature = t };
        }

        return new ModelHeadsWriter(logger).Write(plainOnnxPath, heads);
    }
}
