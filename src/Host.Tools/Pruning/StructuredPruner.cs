using Host.Tools.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Host.Tools.Pruning;

/// <summary>
/// Structured pruning that removes channels physically: the architecture lists its prunable channel groups, an
/// <see cref="IFilterSelector"/> picks the survivors of each, a smaller network is built with those widths and every
/// tensor is copied with the removed rows/columns left out (producer filters and bias, BatchNorm entries, per-channel
/// PReLU slopes, consumer input channels). A removed channel whose filter is all zero outputs a constant; when its
/// consumer is a 1x1 unpadded convolution followed by BatchNorm the constant's contribution is folded into that
/// BatchNorm's running_mean, so the output is unchanged.
/// </summary>
public sealed class StructuredPruner
{
    private static readonly IPrunableArchitecture[] Layouts = [new EnetSeedPruning(), new ErfnetPruning(), new MideNetPruning()];

    private readonly ILogger _logger;

    public StructuredPruner(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    public static bool Supports(SegmentationNetwork network) => Layouts.Any(l => l.Supports(network));

    public static IPrunableArchitecture LayoutFor(SegmentationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Layouts.FirstOrDefault(l => l.Supports(network))
            ?? throw new NotSupportedException(
                $"Structured pruning supports enet-seed, erfnet, erfnet-bnfolded and midenet; got {network.Architecture}.");
    }

    /// <summary>Prunes <paramref name="network"/> (left unchanged) with <paramref name="selector"/>.</summary>
    public PruningResult Prune(SegmentationNetwork network, IFilterSelector selector)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(selector);
        var layout = LayoutFor(network);
        using var noGrad = no_grad();
        var state = network.state_dict();
        var groups = layout.Groups(network, state);
        var plan = new Dictionary<string, List<(int Dim, long[] Index)>>(StringComparer.Ordinal);
        var deltas = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var reports = new List<GroupPruning>();
        var widths = new Dictionary<string, List<(int Slot, long Width)>>(StringComparer.Ordinal);
        try
        {
            foreach (var group in groups)
            {
                var kept = selector.Keep(group, state);
                var original = state[group.Producer.WeightKey].shape[group.Producer.OutputDim];
                Validate(group, kept, original);
                var (zeroRemoved, folded) = FoldConstants(group, state, kept, deltas);
                reports.Add(new GroupPruning(group, original, kept, zeroRemoved, folded));
                if (!widths.TryGetValue(group.Block, out var list))
                {
                    widths[group.Block] = list = [];
                }

                list.Add((group.Slot, kept.Length));
                if (kept.Length == original)
                {
                    continue;
                }

                Add(plan, group.Producer.WeightKey, group.Producer.OutputDim, kept);
                if (group.ProducerHasBias)
                {
                    Add(plan, group.Producer.BiasKey, 0, kept);
                }

                if (group.Norm is { } bn)
                {
                    foreach (var suffix in new[] { ".weight", ".bias", ".running_mean", ".running_var" })
                    {
                        Add(plan, bn + suffix, 0, kept);
                    }
                }

                if (group.PReluKey is { } prelu && state[prelu].numel() > 1)
                {
                    Add(plan, prelu, 0, kept);
                }

                Add(plan, group.Consumer.WeightKey, group.Consumer.InputDim, kept);
            }

            var blockWidths = new BlockWidths(widths.ToDictionary(
                kv => kv.Key, kv => kv.Value.OrderBy(s => s.Slot).Select(s => s.Width).ToArray(), StringComparer.Ordinal));
            var pruned = layout.Create(network, blockWidths);
            try
            {
                Copy(state, pruned, plan, deltas);
                pruned.eval();
            }
            catch
            {
                pruned.Dispose();
                throw;
            }

            _logger.LogInformation("pruned {Architecture}: {Removed} of {Prunable} prunable channels removed, parameters {Before} -> {After}",
                network.Architecture, reports.Sum(r => r.Removed), reports.Sum(r => r.Original), network.ParameterCount(),
                pruned.ParameterCount());
            return new PruningResult(pruned, blockWidths, reports);
        }
        finally
        {
            foreach (var d in deltas.Values)
            {
                d.Dispose();
            }
        }
    }

    private static void Validate(ChannelGroup group, long[] kept, long original)
    {
        if (kept.Length == 0 || kept.Any(k => k < 0 || k >= original) || kept.Zip(kept.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new InvalidOperationException(
                $"{group.Name}: the selector must keep a non-empty ascending subset of 0..{original - 1}, got [{string.Join(", ", kept)}].");
        }
    }

    /// <summary>Folds the constant output of removed all-zero channels into the BatchNorm after a 1x1 consumer.</summary>
    private static (int ZeroRemoved, int Folded) FoldConstants(ChannelGroup group, IReadOnlyDictionary<string, Tensor> state,
        long[] kept, Dictionary<string, Tensor> deltas)
    {
        var zero = FilterNorms.AllZero(state[group.Producer.WeightKey], group.Producer.OutputDim);
        var keptSet = kept.ToHashSet();
        var removedZero = Enumerable.Range(0, zero.Length).Where(k => zero[k] && !keptSet.Contains(k)).ToList();
        if (group.FoldIntoNorm is not { } norm || removedZero.Count == 0)
        {
            return (removedZero.Count, 0);
        }

        var constants = ChannelConstants.ForZeroFilters(group, state);
        var consumer = state[group.Consumer.WeightKey];
        var folded = 0;
        foreach (var k in removedZero.Where(k => constants[k] != 0))
        {
            // Consumer is 1x1 and unpadded: its output gains W[:, k] * c everywhere; the BatchNorm subtracts it back.
            using var column = consumer.select(group.Consumer.InputDim, k).flatten().to_type(ScalarType.Float64) * constants[k];
            var key = norm + ".running_mean";
            if (deltas.TryGetValue(key, out var acc))
            {
                acc.add_(column);
            }
            else
            {
                deltas[key] = column.clone();
            }

            folded++;
        }

        return (removedZero.Count, folded);
    }

    private static void Add(Dictionary<string, List<(int, long[])>> plan, string key, int dim, long[] kept)
    {
        if (!plan.TryGetValue(key, out var list))
        {
            plan[key] = list = [];
        }

        list.Add((dim, kept));
    }

    private static void Copy(IReadOnlyDictionary<string, Tensor> source, SegmentationNetwork target,
        Dictionary<string, List<(int Dim, long[] Index)>> plan, Dictionary<string, Tensor> deltas)
    {
        var targetState = target.state_dict();
        foreach (var (key, destination) in targetState)
        {
            if (!source.TryGetValue(key, out var src))
            {
                throw new InvalidOperationException($"Pruned network has '{key}', which the original lacks.");
            }

            using var scope = NewDisposeScope();
            var value = src.detach();
            if (plan.TryGetValue(key, out var selections))
            {
                foreach (var (dim, index) in selections)
                {
                    value = value.index_select(dim, tensor(index));
                }
            }

            if (deltas.TryGetValue(key, out var delta))
            {
                value = (value.to_type(ScalarType.Float64) - delta).to_type(value.dtype);
            }

            if (!value.shape.SequenceEqual(destination.shape))
            {
                throw new InvalidOperationException(
                    $"{key}: pruned tensor has shape [{string.Join(", ", value.shape)}], the pruned network expects [{string.Join(", ", destination.shape)}].");
            }

            destination.copy_(value);
        }
    }
}
