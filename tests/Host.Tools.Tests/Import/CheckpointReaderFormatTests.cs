using Host.Tools.Import;

namespace Host.Tools.Tests.Import;

/// <summary>Hand-written checkpoints exercise layouts the shared files lack: offsets, transposed views, nested state dicts.</summary>
public sealed class CheckpointReaderFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TransposedViewWithStorageOffsetIsReadInLogicalOrder()
    {
        var writer = new TestCheckpointWriter();
        writer.AddFloatStorage("0", [99, 0, 1, 2, 3, 4, 5]);
        writer.OrderedDict();
        writer.Str("t");

        // Storage [99 | 0 1 2 ; 3 4 5] viewed from offset 1 as a 3x2 transpose: [[0,3],[1,4],[2,5]].
        writer.Tensor("FloatStorage", "0", 7, 1, [3, 2], [1, 3]);
        writer.SetItem();
        var path = _temp.File("t.pth");
        writer.Save(path);

        var tensor = PyTorchCheckpointReader.Read(path)["t"];

        Assert.Equal([3L, 2], tensor.Shape);
        Assert.Equal(1, tensor.StorageOffset);
        Assert.Equal([0f, 3, 1, 4, 2, 5], tensor.ToFloat());
    }

    [Fact]
    public void TwoTensorsSharingOneStorageReadTheirOwnSlices()
    {
        var writer = new TestCheckpointWriter();
        writer.AddFloatStorage("0", [1, 2, 3, 4, 5]);
        writer.OrderedDict();
        writer.Str("a");
        writer.Tensor("FloatStorage", "0", 5, 0, [2], [1]);
        writer.SetItem();
        writer.Str("b");
        writer.Tensor("FloatStorage", "0", 5, 2, [3], [1]);
        writer.SetItem();
        var path = _temp.File("shared.pth");
        writer.Save(path);

        var ckpt = PyTorchCheckpointReader.Read(path);

        Assert.Equal([1f, 2], ckpt["a"].ToFloat());
        Assert.Equal([3f, 4, 5], ckpt["b"].ToFloat());
    }

    [Fact]
    public void NestedStateDictIsFoundAndTopLevelEntriesAreKept()
    {
        var writer = new TestCheckpointWriter();
        writer.AddFloatStorage("0", [1.5f, -2]);
        writer.AddLongStorage("1", [7]);
        writer.Dict();
        writer.Str("epoch");
        writer.Int(12);
        writer.SetItem();
        writer.Str("state_dict");
        writer.OrderedDict();
        writer.Str("module.conv.weight");
        writer.Tensor("FloatStorage", "0", 2, 0, [2, 1], [1, 1]);
        writer.SetItem();
        writer.Str("module.bn.num_batches_tracked");
        writer.Tensor("LongStorage", "1", 1, 0, [], []);
        writer.SetItem();
        writer.SetItem();
        writer.Str("miou");
        writer.Float(0.596);
        writer.SetItem();
        writer.Str("dtype");
        writer.Global("torch", "qint8");
        writer.SetItem();
        var path = _temp.File("nested.pth");
        writer.Save(path);

        var ckpt = PyTorchCheckpointReader.Read(path);

        Assert.Equal("state_dict", ckpt.StateDictKey);
        Assert.True(ckpt.HadModulePrefix);
        Assert.Equal(["conv.weight", "bn.num_batches_tracked"], ckpt.Tensors.Keys);
        Assert.Equal([1.5f, -2], ckpt["conv.weight"].ToFloat());
        Assert.Equal(7L, ckpt["bn.num_batches_tracked"].ToInt64().Single());
        Assert.Equal(7.0, ckpt["bn.num_batches_tracked"].ToScalar());
        Assert.Equal(["epoch", "miou", "dtype"], ckpt.OtherEntries.Keys);
        Assert.Equal(12L, ckpt.OtherEntries["epoch"]);
        Assert.Equal(0.596, ckpt.OtherEntries["miou"]);
        Assert.Equal(new PythonGlobal("torch", "qint8"), ckpt.OtherEntries["dtype"]);
    }

    [Fact]
    public void PerChannelQuantizedTensorAlongAxisOneDequantisesPerColumn()
    {
        var writer = new TestCheckpointWriter();
        writer.AddStorage("0", [1, 2, 3, 0xff, 0xfe, 0xfd]); // int8: 1 2 3 -1 -2 -3 as a 2x3 matrix
        writer.AddDoubleStorage("1", [0.5, 0.25, 2.0]);
        writer.AddLongStorage("2", [0, 1, -1]);
        writer.OrderedDict();
        writer.Str("q");
        writer.PerChannelQTensor("0", 6, [2, 3], [3, 1], "1", "2", axis: 1);
        writer.SetItem();
        var path = _temp.File("q.pth");
        writer.Save(path);

        var tensor = PyTorchCheckpointReader.Read(path)["q"];

        Assert.Equal(CheckpointDType.QInt8, tensor.DType);
        Assert.Equal(QuantizationScheme.PerChannelAffine, tensor.Quantization!.Scheme);
        Assert.Equal(1, tensor.Quantization.Axis);
        Assert.Equal([0.5, 0.25, 2.0], tensor.Quantization.Scales);
        Assert.Equal([(sbyte)1, 2, 3, -1, -2, -3], tensor.GetInt8Values());
        Assert.Equal([0.5f, 0.25f, 8f, -0.5f, -0.75f, -4f], tensor.ToFloat());
        Assert.Throws<InvalidOperationException>(() => tensor.Quantization.Scale);
    }

    [Fact]
    public void PerTensorQuint8TensorDequantisesWithItsZeroPoint()
    {
        var writer = new TestCheckpointWriter();
        writer.AddStorage("0", [0, 128, 255]);
        writer.OrderedDict();
        writer.Str("a");
        writer.PerTensorQTensor("0", 3, [3], [1], 0.1, 128, "QUInt8Storage");
        writer.SetItem();
        var path = _temp.File("u.pth");
        writer.Save(path);

        var tensor = PyTorchCheckpointReader.Read(path)["a"];

        Assert.Equal(CheckpointDType.QUInt8, tensor.DType);
        Assert.Equal([(byte)0, 128, 255], tensor.GetUInt8Values());
        Assert.Equal(0.1, tensor.Quantization!.Scale);
        Assert.Equal(128L, tensor.Quantization.ZeroPoint);
        Assert.Equal([(float)(-128 * 0.1), 0f, (float)(127 * 0.1)], tensor.ToFloat());
        Assert.Throws<InvalidOperationException>(() => tensor.GetInt8Values());
    }

    [Fact]
    public void ParameterWrappedTensorIsMarkedAsParameter()
    {
        var writer = new TestCheckpointWriter();
        writer.AddFloatStorage("0", [1, 2]);
        writer.OrderedDict();
        writer.Str("bias");
        writer.Global("torch._utils", "_rebuild_parameter");
        writer.Mark();
        writer.Tensor("FloatStorage", "0", 2, 0, [2], [1]);
        writer.Bool(true);
        writer.OrderedDict();
        writer.TupleFromMark();
        writer.Reduce();
        writer.SetItem();
        var path = _temp.File("p.pth");
        writer.Save(path);

        var tensor = PyTorchCheckpointReader.Read(path)["bias"];

        Assert.True(tensor.IsParameter);
        Assert.True(tensor.RequiresGrad);
        Assert.Equal([1f, 2], tensor.ToFloat());
    }
}
