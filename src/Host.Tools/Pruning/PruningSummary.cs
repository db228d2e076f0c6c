using Host.Tools.Models;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Pruning;

/// <summary>The one log line of a pruning: parameters and conv MACs before/after, all-zero removed filters, folded constants.</summary>
public static class PruningSummary
{
    public static void Log(ILogger logger, SegmentationNetwork original, PruningResult result, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(result);
        var pruned = result.Network;
        var macsBefore = ConvMacCounter.Count(original, height, width);
        var macsAfter = ConvMacCounter.Count(pruned, height, width);
        logger.LogInformation(
            "{Architecture}: parameters {Before} -> {After} ({ParamRatio:P1}), conv MACs at {Height}x{Width} {MacsBefore:N0} -> {MacsAfter:N0} ({MacRatio:P1}); {Zero} removed filters were all-zero, {Folded} constants folded",
            original.Architecture, original.ParameterCount(), pruned.ParameterCount(),
            1 - (double)pruned.ParameterCount() / original.ParameterCount(), height, width, macsBefore, macsAfter,
            1 - (double)macsAfter / macsBefore, result.Groups.Sum(g => g.RemovedZeroFilters), result.Groups.Sum(g => g.Folded));
    }
}
