using Host.Tools.Building;

namespace Host.Tools.Pruning;

/// <summary>What <c>prune</c> starts from: a manifest entry (architecture, classes, normalisation) and its checkpoint file.</summary>
public sealed record PruneSource(ManifestEntry Entry, string Checkpoint)
{
    /// <summary>
    /// <c>--model NAME</c> (looked up in <paramref name="manifestPath"/>, checkpoint under <paramref name="weights"/>) or
    /// <c>--architecture A --checkpoint CKPT</c>; anything else is an <see cref="ArgumentException"/> naming the options.
    /// </summary>
    public static PruneSource Resolve(string? model, string manifestPath, string? weights, string? architecture, string? checkpoint)
    {
        if (model is not null)
        {
            if (architecture is not null || checkpoint is not null)
            {
                throw new ArgumentException("Give either --model or --architecture with --checkpoint, not both.");
            }

            var entry = ModelManifest.Load(manifestPath).Models.FirstOrDefault(m => m.Name == model)
                ?? throw new ArgumentException($"--model {model}: no such model in {manifestPath}.");
            return new PruneSource(entry, Path.Combine(weights ?? Commands.ToolPaths.DefaultWeights(), entry.Checkpoint));
        }

        if (architecture is null || checkpoint is null)
        {
            throw new ArgumentException("Expected --model NAME, or --architecture A together with --checkpoint CKPT.");
        }

        return new PruneSource(new ManifestEntry { Name = Path.GetFileNameWithoutExtension(checkpoint), Architecture = architecture, Checkpoint = checkpoint },
            checkpoint);
    }
}
