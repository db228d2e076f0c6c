using System.IO.Compression;

namespace Host.Tools.Import;

/// <summary>
/// Reads PyTorch zip checkpoints (<c>torch.save</c>, format of torch >= 1.6) without Python, including quantized tensors
/// (<c>torch._utils._rebuild_qtensor</c>, per-tensor and per-channel affine).
/// </summary>
public static class PyTorchCheckpointReader
{
    private static readonly string[] StateDictKeys = ["state_dict", "model_state_dict", "model", "net", "state"];

    /// <summary>Reads the checkpoint at <paramref name="path"/>; throws <see cref="CheckpointFormatException"/> when it is not one.</summary>
    public static Checkpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new CheckpointFormatException(path, "the file does not exist");
        }

        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            var length = new FileInfo(path).Length;
            throw new CheckpointFormatException(
                path,
                $"not a readable zip archive ({length} bytes; {ex.Message}). Expected a PyTorch zip checkpoint (torch.save of torch >= 1.6); "
                + "the file may be truncated, or be a legacy (non-zip) or TorchScript file",
                ex);
        }
        catch (IOException ex)
        {
            throw new CheckpointFormatException(path, $"the file cannot be opened ({ex.Message})", ex);
        }

        using (zip)
        {
            try
            {
                return ReadArchive(path, zip);
            }
            catch (CheckpointFormatException)
            {
                throw;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidCastException or IndexOutOfRangeException or OverflowException)
            {
                throw new CheckpointFormatException(path, $"corrupt checkpoint ({ex.Message})", ex);
            }
        }
    }

    private static Checkpoint ReadArchive(string path, ZipArchive zip)
    {
        var pickleEntry = zip.Entries
            .Where(e => e.FullName == "data.pkl" || (e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1))
            .FirstOrDefault()
            ?? throw new CheckpointFormatException(
                path,
                $"the zip has no '<archive>/data.pkl' entry, so it is not a PyTorch checkpoint (entries: {string.Join(", ", zip.Entries.Take(5).Select(e => e.FullName))}{(zip.Entries.Count > 5 ? ", ..." : string.Empty)})");

        var prefix = pickleEntry.FullName[..^"data.pkl".Length];
        var bigEndian = false;
        var byteOrderEntry = zip.GetEntry(prefix + "byteorder");
        if (byteOrderEntry is not null)
        {
            var order = System.Text.Encoding.ASCII.GetString(ReadAll(byteOrderEntry)).Trim();
            bigEndian = order switch
            {
                "little" => false,
                "big" => true,
                _ => throw new CheckpointFormatException(path, $"byteorder file says '{order}', expected 'little' or 'big'"),
            };
        }

        var reconstructor = new TensorReconstructor(path, zip, prefix, bigEndian);
        var machine = new PickleMachine(ReadAll(pickleEntry), reconstructor.PersistentLoad, reconstructor.Call);
        object? root;
        try
        {
            root = machine.Load();
        }
        catch (InvalidDataException ex)
        {
            throw new CheckpointFormatException(path, $"{pickleEntry.FullName} is not a valid pickle: {ex.Message}", ex);
        }

        return BuildCheckpoint(path, root);
    }

    private static Checkpoint BuildCheckpoint(string path, object? root)
    {
        if (root is not OrderedDictionary<object, object?> top)
        {
            var what = root is PythonObject obj ? $"a pickled Python object of type {obj.Callable}" : root?.GetType().Name ?? "None";
            throw new CheckpointFormatException(path, $"the top-level object is {what}, expected a dict (a state dict, or a dict holding one under 'state_dict')");
        }

        var stateDict = top;
        string? stateDictKey = null;
        if (!top.Values.Any(v => v is CheckpointTensor))
        {
            foreach (var candidate in StateDictKeys)
            {
                if (top.TryGetValue(candidate, out var nested) && nested is OrderedDictionary<object, object?> nestedDict && nestedDict.Values.Any(v => v is CheckpointTensor))
                {
                    stateDict = nestedDict;
                    stateDictKey = candidate;
                    break;
                }
            }
        }

        var tensors = new OrderedDictionary<string, CheckpointTensor>();
        var others = new OrderedDictionary<string, object?>();
        var hadPrefix = false;
        if (stateDictKey is not null)
        {
            foreach (var (key, value) in top)
            {
                if (!Equals(key, stateDictKey))
                {
                    others[KeyText(key)] = value;
                }
            }
        }

        foreach (var (rawKey, value) in stateDict)
        {
            var key = KeyText(rawKey);
            if (key.StartsWith("module.", StringComparison.Ordinal))
            {
                key = key["module.".Length..];
                hadPrefix = true;
            }

            if (value is CheckpointTensor tensor)
            {
                if (!tensors.TryAdd(key, tensor))
                {
                    throw new CheckpointFormatException(path, $"key '{key}' occurs twice after stripping the 'module.' prefix");
                }
            }
            else
            {
                others[key] = value;
            }
        }

        return new Checkpoint(path, tensors, others, stateDictKey, hadPrefix);
    }

    private static string KeyText(object key) => key as string ?? Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    internal static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var buffer = new byte[entry.Length];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
