using Host.Tools.Building;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.Building;

public sealed class ModelManifestTests
{
    [Fact]
    public void Committed_manifest_loads_and_standardises_only_the_pretrained_enet_input()
    {
        var manifest = ModelManifest.Load(Path.Combine(TestPaths.RepoRoot, "models", "manifest.json"));

        var normalized = Assert.Single(manifest.Models, m => m.InputNormalization is not null);
        Assert.Equal("enet-seed-560", normalized.Name);
        Assert.Equal(3, normalized.InputNormalization!.Std.Count);
        Assert.All(normalized.InputNormalization.Std, s => Assert.InRange(s, 0.1f, 0.3f));
    }

    [Fact]
    public void Zero_std_is_rejected_naming_the_model_and_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "schema": 1, "input": { "height": 64, "width": 128 }, "models": [
              { "name": "m", "architecture": "enet-seed", "checkpoint": "x.pth", "input_normalization": { "mean": [0.3, 0.3, 0.3], "std": [0.2, 0, 0.2] } } ] }
            """);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => ModelManifest.Load(path));
            Assert.Contains("models[0].input_normalization.std: expected 3 finite values > 0", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
