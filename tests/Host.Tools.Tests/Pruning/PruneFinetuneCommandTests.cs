using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Host.Tools.Commands;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp.PyBridge;

namespace Host.Tools.Tests.Pruning;

public sealed class PruneFinetuneCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-prune-ft-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public void Finetune_trains_the_pruned_network_and_exports_it_with_its_run_log()
    {
        var checkpoint = TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth");
        var data = TestPaths.Shared("data/cityscapes-sample");
        var plain = Path.Combine(_dir, "plain.onnx");
        var tuned = Path.Combine(_dir, "tuned.onnx");
        var runs = Path.Combine(_dir, "runs");
        var plainPth = Path.Combine(_dir, "plain.pth");
        var tunedPth = Path.Combine(_dir, "tuned.pth");
        string[] common = ["--architecture", "midenet", "--checkpoint", checkpoint, "--ratio", "0.3", "--height", "64", "--width", "128"];

        Assert.Equal(0, Prune([.. common, "--out", plain, "--pth", plainPth]));
        Assert.Equal(0, Prune([.. common, "--out", tuned, "--finetune", data, "--epochs", "1", "--max-steps", "2", "--batch-size", "2",
            "--finetune-input", "64x128", "--lr", "1e-3", "--runs", runs, "--pth", tunedPth]));

        var plainCard = ModelCard.Load(ModelCard.PathFor(plain));
        var tunedCard = ModelCard.Load(ModelCard.PathFor(tuned));
        Assert.Equal(plainCard.Parameters, tunedCard.Parameters); // same pruned shapes
        Assert.Equal(20, tunedCard.Classes.Count);
        var csv = File.ReadAllLines(Path.Combine(runs, "training.csv"));
        Assert.Equal(2, csv.Length); // header + the one epoch

        var input = Enumerable.Range(0, 3 * 64 * 128).Select(i => (float)((i * 7919) % 255) / 255f).ToArray();
        var before = OnnxTestRunner.Run(File.ReadAllBytes(plain), input, [1, 3, 64, 128]);
        var after = OnnxTestRunner.Run(File.ReadAllBytes(tuned), input, [1, 3, 64, 128]);
        Assert.True(before.Zip(after, (a, b) => Math.Abs(a - b)).Max() > 1e-3, "two fine-tuning steps at lr 1e-3 must change the logits");

        // The .pth files hold the pruned shapes (the same in both) and the fine-tuned values (different).
        var plainState = PyTorchUnpickler.UnpickleStateDict(plainPth);
        var tunedState = PyTorchUnpickler.UnpickleStateDict(tunedPth);
        Assert.Equal(plainState.Keys.Cast<string>().Order(StringComparer.Ordinal), tunedState.Keys.Cast<string>().Order(StringComparer.Ordinal));
        var changed = 0;
        foreach (string key in plainState.Keys)
        {
            var a = (TorchSharp.torch.Tensor)plainState[key]!;
            var b = (TorchSharp.torch.Tensor)tunedState[key]!;
            Assert.Equal(a.shape, b.shape);
            changed += a.equal(b).all().item<bool>() ? 0 : 1;
        }

        Assert.True(changed > 0, "the fine-tuned .pth must differ from the plain pruned one");
    }

    [Fact]
    public void Unknown_finetune_format_is_refused_naming_the_option()
    {
        var code = Prune(["--architecture", "midenet", "--checkpoint", TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth"),
            "--out", Path.Combine(_dir, "x.onnx"), "--height", "64", "--width", "128", "--finetune", _dir, "--format", "voc"]);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.False(File.Exists(Path.Combine(_dir, "x.onnx")));
    }

    private static int Prune(string[] args) => new PruneCommand(NullLoggerFactory.Instance).Create().Parse(args).Invoke();
}
