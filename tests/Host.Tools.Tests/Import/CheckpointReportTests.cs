using Host.Tools.Import;

namespace Host.Tools.Tests.Import;

public sealed class CheckpointReportTests
{
    [Fact]
    public void KeyTableListsEveryKeyWithDtypeShapeAndQuantization()
    {
        var ckpt = PyTorchCheckpointReader.Read(ImportTestData.Weight("seed/pruning_quantization/colab/erfnet_finetuned_quantized_fx.pth"));

        var table = CheckpointReport.KeyTable(ckpt);

        Assert.Equal(ckpt.Tensors.Count + 2, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("| `decoder.output_conv.weight` | qint8 | [16, 20, 2, 2] | per_tensor_affine scale=0.00517076766 zp=0 |", table, StringComparison.Ordinal);
        Assert.Contains("| `encoder.layers.0.conv.weight` | qint8 | [48, 16, 3, 3] | per_channel_affine axis=0, 48 float64 scales", table, StringComparison.Ordinal);
    }

    [Fact]
    public void CommittedCheckpointDocumentMatchesTheGeneratedReport()
    {
        var generated = CheckpointReport.BuildDocument(ImportTestData.Weights);
        var docPath = Path.Combine(ImportTestData.RepoRoot, "docs", "checkpoints.md");
        if (Environment.GetEnvironmentVariable("EDGESEG_WRITE_DOCS") == "1")
        {
            File.WriteAllText(docPath, generated);
        }

        Assert.True(File.Exists(docPath), $"{docPath} is missing; regenerate it with EDGESEG_WRITE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(docPath));
    }
}
