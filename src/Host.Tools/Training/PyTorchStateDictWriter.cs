using Edge.Runtime.IO;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Host.Tools.Training;

/// <summary>
/// Writes a network's state dict as a PyTorch <c>.pth</c> (torch.save's zip format: <c>archive/data.pkl</c> + one
/// storage file per tensor, written by TorchSharp.PyBridge), so Python loads it with
/// <c>model.load_state_dict(torch.load(path))</c>. Keys are the TorchSharp module's <c>state_dict()</c> keys, which
/// follow the PyTorch reference models (the same keys the importer reads). Written atomically (temp file + rename).
/// </summary>
public static class PyTorchStateDictWriter
{
    public static void Write(torch.nn.Module network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        AtomicFile.Write(full, stream => network.save_py(stream, leaveOpen: true));
    }
}
