namespace Host.Tools.Import;

/// <summary>One storage record of a checkpoint zip (<c>data/&lt;key&gt;</c>): little-endian bytes of <see cref="ElementCount"/> elements.</summary>
internal sealed class TensorStorage
{
    public TensorStorage(string key, CheckpointDType dtype, byte[] bytes)
    {
        Key = key;
        DType = dtype;
        Bytes = bytes;
        ElementCount = bytes.Length / CheckpointTensor.ElementSize(dtype);
    }

    public string Key { get; }

    public CheckpointDType DType { get; }

    public byte[] Bytes { get; }

    public long ElementCount { get; }
}
