namespace Host.Tools.Import;

/// <summary>
/// The contents of a PyTorch checkpoint: every tensor of its state dict in file order (keys without a DataParallel
/// <c>module.</c> prefix) and every non-tensor entry (e.g. <c>epoch</c> beside a <c>state_dict</c>, or a <c>None</c> bias).
/// </summary>
public sealed class Checkpoint
{
    public Checkpoint(
        string sourcePath,
        OrderedDictionary<string, CheckpointTensor> tensors,
        OrderedDictionary<string, object?> otherEntries,
        string? stateDictKey,
        bool hadModulePrefix)
    {
        SourcePath = sourcePath;
        Tensors = tensors;
        OtherEntries = otherEntries;
        StateDictKey = stateDictKey;
        HadModulePrefix = hadModulePrefix;
    }

    /// <summary>The file the checkpoint was read from.</summary>
    public string SourcePath { get; }

    /// <summary>Every tensor entry of the state dict, in file order, <c>module.</c> prefix stripped.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>
    /// Every non-tensor entry: top-level entries beside a nested state dict (e.g. <c>epoch</c>, <c>miou</c>) and non-tensor
    /// values inside the state dict (e.g. <c>conv.bias</c> = None of a quantized conv without bias). Values are pickle values
    /// (null, bool, long, double, string, object?[] tuples, <see cref="PythonGlobal"/>, <see cref="PythonObject"/>, ...).
    /// </summary>
    public IReadOnlyDictionary<string, object?> OtherEntries { get; }

    /// <summary>The top-level key that held the state dict (e.g. <c>state_dict</c>), or null when the file is a bare state dict.</summary>
    public string? StateDictKey { get; }

    /// <summary>True when state-dict keys were saved through DataParallel with a leading <c>module.</c> (stripped here).</summary>
    public bool HadModulePrefix { get; }

    /// <summary>The tensor under <paramref name="key"/>, or a <see cref="KeyNotFoundException"/> naming the file.</summary>
    public CheckpointTensor this[string key] => Tensors.TryGetValue(key, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"Checkpoint '{SourcePath}' has no tensor '{key}'.");
}
