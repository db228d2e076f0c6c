using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Host.Tools.Tests.Import;

/// <summary>
/// Writes tiny PyTorch-style zip checkpoints by hand (pickle protocol 2, the opcodes torch.save emits) so the reader can be
/// tested on layouts the shared files do not have.
/// </summary>
internal sealed class TestCheckpointWriter
{
    private readonly MemoryStream _pickle = new();
    private readonly Dictionary<string, byte[]> _storages = [];

    public TestCheckpointWriter()
    {
        Op(0x80, 2); // PROTO 2
    }

    /// <summary>A storage 'data/&lt;key&gt;' of raw little-endian bytes.</summary>
    public void AddStorage(string key, byte[] bytes) => _storages[key] = bytes;

    public void AddFloatStorage(string key, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        AddStorage(key, bytes);
    }

    public void AddDoubleStorage(string key, double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        AddStorage(key, bytes);
    }

    public void AddLongStorage(string key, long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        AddStorage(key, bytes);
    }

    // ---- pickle building blocks: each pushes one value ----

    public void OrderedDict() { Global("collections", "OrderedDict"); Op((byte)')'); Op((byte)'R'); }

    public void Dict() => Op((byte)'}');

    public void Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Op((byte)'X');
        WriteInt32(bytes.Length);
        _pickle.Write(bytes);
    }

    public void Int(long v)
    {
        if (v is >= 0 and < 256)
        {
            Op((byte)'K', (byte)v);
        }
        else
        {
            Op((byte)'J');
            WriteInt32(checked((int)v));
        }
    }

    public void Float(double v)
    {
        Op((byte)'G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, v);
        _pickle.Write(b);
    }

    public void None() => Op((byte)'N');

    public void Bool(bool v) => Op(v ? (byte)0x88 : (byte)0x89);

    public void Tuple(params long[] values)
    {
        Op((byte)'(');
        foreach (var v in values)
        {
            Int(v);
        }

        Op((byte)'t');
    }

    public void Global(string module, string name)
    {
        Op((byte)'c');
        _pickle.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
    }

    public void Mark() => Op((byte)'(');

    public void TupleFromMark() => Op((byte)'t');

    public void Reduce() => Op((byte)'R');

    public void SetItem() => Op((byte)'s');

    public void Put(byte slot) => Op((byte)'q', slot);

    public void Get(byte slot) => Op((byte)'h', slot);

    /// <summary>Pushes a persistent storage reference ('storage', torch.&lt;type&gt;, key, 'cpu', numel).</summary>
    public void StorageRef(string storageType, string key, long numel)
    {
        Mark();
        Str("storage");
        Global("torch", storageType);
        Str(key);
        Str("cpu");
        Int(numel);
        TupleFromMark();
        Op((byte)'Q');
    }

    /// <summary>Pushes torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).</summary>
    public void Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        StorageRef(storageType, key, numel);
        Int(offset);
        Tuple(size);
        Tuple(stride);
        Bool(false);
        OrderedDict();
        TupleFromMark();
        Reduce();
    }

    /// <summary>Pushes torch._utils._rebuild_qtensor with per-tensor affine params.</summary>
    public void PerTensorQTensor(string key, long numel, long[] size, long[] stride, double scale, long zeroPoint, string storageType = "QInt8Storage")
    {
        Global("torch._utils", "_rebuild_qtensor");
        Mark();
        StorageRef(storageType, key, numel);
        Int(0);
        Tuple(size);
        Tuple(stride);
        Mark();
        Global("torch", "per_tensor_affine");
        Float(scale);
        Int(zeroPoint);
        TupleFromMark();
        Bool(false);
        OrderedDict();
        TupleFromMark();
        Reduce();
    }

    /// <summary>Pushes torch._utils._rebuild_qtensor with per-channel affine params (scales float64, zero points int64 storages).</summary>
    public void PerChannelQTensor(string key, long numel, long[] size, long[] stride, string scalesKey, string zeroPointsKey, long axis)
    {
        var channels = size[axis];
        Global("torch._utils", "_rebuild_qtensor");
        Mark();
        StorageRef("QInt8Storage", key, numel);
        Int(0);
        Tuple(size);
        Tuple(stride);
        Mark();
        Global("torch", "per_channel_affine");
        Tensor("DoubleStorage", scalesKey, channels, 0, [channels], [1]);
        Tensor("LongStorage", zeroPointsKey, channels, 0, [channels], [1]);
        Int(axis);
        TupleFromMark();
        Bool(false);
        OrderedDict();
        TupleFromMark();
        Reduce();
    }

    /// <summary>Ends the pickle and writes the zip to <paramref name="path"/> under the archive folder <paramref name="archive"/>.</summary>
    public void Save(string path, string archive = "archive")
    {
        Op((byte)'.');
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Write(zip, archive + "/data.pkl", _pickle.ToArray());
        Write(zip, archive + "/byteorder", Encoding.ASCII.GetBytes("little"));
        foreach (var (key, bytes) in _storages)
        {
            Write(zip, archive + "/data/" + key, bytes);
        }

        Write(zip, archive + "/version", Encoding.ASCII.GetBytes("3\n"));
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private void WriteInt32(int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        _pickle.Write(b);
    }

    private void Op(byte op, params byte[] args)
    {
        _pickle.WriteByte(op);
        _pickle.Write(args);
    }
}
