using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Host.Tools.Quantization;

/// <summary>Reading and writing ONNX initializers (float32, int8, uint8, int32) as raw little-endian data.</summary>
public static class OnnxTensors
{
    public static float[] ReadFloats(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"Initializer '{tensor.Name}': expected float32, got data type {tensor.DataType}.");
        }

        if (!tensor.RawData.IsEmpty)
        {
            return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }

        return [.. tensor.FloatData];
    }

    public static TensorProto Float(string name, float[] data, long[] shape) => Raw(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data.AsSpan()), shape);

    public static TensorProto Int8(string name, sbyte[] data, long[] shape) => Raw(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(data.AsSpan()), shape);

    public static TensorProto UInt8(string name, byte[] data, long[] shape) => Raw(name, TensorProto.Types.DataType.Uint8, data, shape);

    public static TensorProto Int32(string name, int[] data, long[] shape) => Raw(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(data.AsSpan()), shape);

    /// <summary>A zero point initializer of the activation's element type.</summary>
    public static TensorProto ZeroPoint(string name, QuantParams p) => p.Type == QuantElementType.UInt8
        ? UInt8(name, [(byte)p.ZeroPoint], [])
        : Int8(name, [(sbyte)p.ZeroPoint], []);

    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, b) => a * b);

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] shape)
    {
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(shape);
        return proto;
    }
}
