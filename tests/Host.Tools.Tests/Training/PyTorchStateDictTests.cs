using System.Collections;
using System.IO.Compression;
using Host.Tools.Commands;
using Host.Tools.Import;
using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Host.Tools.Tests.Training;

/// <summary>
/// The <c>.pth</c> the tools write is a torch.save zip archive that PyBridge's own loader and the importer's independent
/// pickle reader both read back tensor for tensor (torch itself is not installed here; Python users
/// <c>model.load_state_dict(torch.load(path))</c>).
/// </summary>
public sealed class PyTorchStateDictTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgeseg-pth-" + Guid.NewGuid().ToString("N"));

    public PyTorchStateDictTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Written_state_dict_round_trips_through_pybridge_and_the_importer_tensor_for_tensor()
    {
        torch.random.manual_seed(5);
        using var network = NetworkFactory.Create("midenet", 11);
        var path = Path.Combine(_dir, "sub", "midenet.pth");

        PyTorchStateDictWriter.Write(network, path);

        var expected = network.state_dict();
        using (var zip = ZipFile.OpenRead(path))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            var root = names[0][..names[0].IndexOf('/', StringComparison.Ordinal)];
            Assert.All(names, n => Assert.StartsWith(root + "/", n, StringComparison.Ordinal));
            Assert.Contains(root + "/data.pkl", names);
            Assert.Contains(root + "/version", names);
            Assert.Equal(expected.Count, names.Count(n => n.StartsWith(root + "/data/", StringComparison.Ordinal)));
        }

        var loaded = PyTorchUnpickler.UnpickleStateDict(path);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), loaded.Keys.Cast<string>().Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected)
        {
            var other = (torch.Tensor)loaded[key]!;
            Assert.Equal(tensor.dtype, other.dtype);
            Assert.Equal(tensor.shape, other.shape);
            Assert.True(tensor.equal(other).all().item<bool>(), $"{key}: PyBridge read back different values");
        }

        var checkpoint = PyTorchCheckpointReader.Read(path);
        foreach (var (key, tensor) in expected.Where(kv => kv.Value.dtype == torch.ScalarType.Float32))
        {
            Assert.Equal(tensor.shape, checkpoint[key].Shape);
            Assert.Equal(tensor.data<float>().ToArray(), checkpoint[key].ToFloat());
        }

        using var reloaded = NetworkImporter.Load("midenet", path, 11); // strict: every key and shape
        var again = reloaded.state_dict();
        Assert.All(expected.Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)),
            kv => Assert.True(kv.Value.equal(again[kv.Key]).all().item<bool>(), kv.Key));
    }

    [Fact]
    public void Train_with_pth_writes_the_best_weights_as_a_pytorch_state_dict()
    {
        using var data = new SyntheticCamVid(images: 2, height: 16, width: 24);
        var pth = Path.Combine(_dir, "camvid.pth");
        var onnx = Path.Combine(_dir, "camvid.onnx");

        var code = new TrainCommand(NullLoggerFactory.Instance).Create().Parse(
        [
            "--model", "midenet", "--dataset", "camvid", "--data", data.Root, "--epochs", "1", "--batch-size", "2",
            "--input", "16x24", "--max-val-images", "1", "--out", Path.Combine(_dir, "run"), "--export", onnx, "--pth", pth,
        ]).Invoke();

        Assert.Equal(0, code);
        Assert.True(File.Exists(onnx));
        var loaded = PyTorchUnpickler.UnpickleStateDict(pth);
        torch.random.manual_seed(1);
        using var fresh = NetworkFactory.Create("midenet", 11);
        Assert.Equal(fresh.state_dict().Keys.Order(StringComparer.Ordinal), loaded.Keys.Cast<string>().Order(StringComparer.Ordinal));
        using var reloaded = NetworkImporter.Load("midenet", pth, 11);
        Assert.NotNull(reloaded);
    }

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
}
