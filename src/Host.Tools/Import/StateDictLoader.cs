using TorchSharp;

namespace Host.Tools.Import;

/// <summary>Copies checkpoint tensors into a TorchSharp module, strictly: every parameter and buffer must match by key and shape.</summary>
public static class StateDictLoader
{
    private const string NumBatchesTracked = "num_batches_tracked";

    /// <summary>
    /// Compares <paramref name="module"/>'s <c>state_dict()</c> (parameters and buffers; <c>num_batches_tracked</c> ignored
    /// on both sides) with the checkpoint's tensors and, when they all match, copies the (dequantized) float32 values in under
    /// <c>torch.no_grad()</c>. Otherwise throws one <see cref="StateDictMismatchException"/> listing every problem and nothing is copied.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="checkpoint">The checkpoint read by <see cref="PyTorchCheckpointReader"/> (or built in memory).</param>
    /// <param name="sourcePath">The file named in error messages.</param>
    /// <param name="keyMap">Renames a checkpoint key to the module's key; return null to drop the key on purpose. Null: keys as they are.</param>
    public static void Load(torch.nn.Module module, Checkpoint checkpoint, string sourcePath, Func<string, string?>? keyMap = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(checkpoint);

        var target = module.state_dict()
            .Where(kv => !IsNumBatchesTracked(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

        var mapped = new List<(string Key, CheckpointTensor Tensor)>();
        var seen = new HashSet<string>();
        var duplicates = new List<string>();
        foreach (var (checkpointKey, tensor) in checkpoint.Tensors)
        {
            var key = keyMap is null ? checkpointKey : keyMap(checkpointKey);
            if (key is null || IsNumBatchesTracked(key))
            {
                continue;
            }

            if (!seen.Add(key))
            {
                duplicates.Add(key);
                continue;
            }

            mapped.Add((key, tensor));
        }

        var missing = target.Keys.Where(k => !seen.Contains(k)).ToList();
        var unexpected = mapped.Where(m => !target.ContainsKey(m.Key)).Select(m => m.Key).ToList();
        var shapes = new List<StateDictShapeMismatch>();
        foreach (var (key, tensor) in mapped)
        {
            if (target.TryGetValue(key, out var destination) && !destination.shape.SequenceEqual(tensor.Shape))
            {
                shapes.Add(new StateDictShapeMismatch(key, destination.shape, tensor.Shape));
            }
        }

        if (missing.Count > 0 || unexpected.Count > 0 || shapes.Count > 0 || duplicates.Count > 0)
        {
            throw new StateDictMismatchException(sourcePath, missing, unexpected, shapes, duplicates);
        }

        using (torch.no_grad())
        {
            foreach (var (key, tensor) in mapped)
            {
                using var source = tensor.ToTorch();
                target[key].copy_(source);
            }
        }
    }

    private static bool IsNumBatchesTracked(string key) =>
        key == NumBatchesTracked || key.EndsWith("." + NumBatchesTracked, StringComparison.Ordinal);
}
