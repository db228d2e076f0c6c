using System.Runtime.InteropServices;
using TorchSharp;

namespace Host.Tools.Import;

/// <summary>
/// One tensor read from a PyTorch checkpoint: shape, dtype, a view (offset + strides) into its storage and, for
/// quantized tensors, the affine quantization parameters. Values are returned in logical row-major order.
/// </summary>
public sealed class CheckpointTensor
{
    private readonly TensorStorage _storage;
    private readonly long[] _shape;
    private readonly long[] _strides;

    internal CheckpointTensor(
        TensorStorage storage,
        long storageOffset,
        long[] shape,
        long[] strides,
        QuantizationParameters? quantization,
        bool requiresGrad)
    {
        _storage = storage;
        StorageOffset = storageOffset;
        _shape = shape;
        _strides = strides;
        Quantization = quantization;
        RequiresGrad = requiresGrad;
    }

    /// <summary>A contiguous float32 tensor with the given values (e.g. to build a checkpoint in memory).</summary>
    public static CheckpointTensor FromValues(float[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill shape [{string.Join(", ", shape)}].", nameof(values));
        }

        var bytes = new byte[values.Length * sizeof(float)];
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
        return new CheckpointTensor(new TensorStorage("memory", CheckpointDType.Float32, bytes), 0, (long[])shape.Clone(), ContiguousStrides(shape), null, false);
    }

    /// <summary>Row-major (C-contiguous) strides of <paramref name="shape"/>.</summary>
    public static long[] ContiguousStrides(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var strides = new long[shape.Length];
        long step = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = step;
            step *= Math.Max(shape[d], 1);
        }

        return strides;
    }

    /// <summary>The size along each dimension (empty for a 0-d scalar).</summary>
    public long[] Shape => (long[])_shape.Clone();

    /// <summary>Element strides into the storage, as saved (checkpoints may hold non-contiguous, e.g. channels-last, views).</summary>
    public long[] Strides => (long[])_strides.Clone();

    /// <summary>Element offset of the first value in the storage.</summary>
    public long StorageOffset { get; }

    /// <summary>The storage's key inside the zip (<c>data/&lt;key&gt;</c>).</summary>
    public string StorageKey => _storage.Key;

    public CheckpointDType DType => _storage.DType;

    /// <summary>Number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => _shape.Aggregate(1L, (a, b) => a * b);

    public bool IsQuantized => Quantization is not null;

    /// <summary>Affine quantization parameters, or null for a non-quantized tensor.</summary>
    public QuantizationParameters? Quantization { get; }

    /// <summary>True when the tensor was saved as an <c>nn.Parameter</c> (<c>torch._utils._rebuild_parameter</c>).</summary>
    public bool IsParameter { get; internal set; }

    public bool RequiresGrad { get; internal set; }

    /// <summary>Shape as text, e.g. <c>[16, 20, 3, 3]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", _shape) + "]";

    /// <summary>
    /// The values as float32. Quantized tensors are dequantized: <c>(float)((q - zero_point) * scale)</c> with the
    /// product taken in double, per channel along the quantization axis for per-channel tensors.
    /// </summary>
    public float[] ToFloat()
    {
        if (IsQuantized)
        {
            var dq = Dequantize();
            var result = new float[dq.Length];
            for (var i = 0; i < dq.Length; i++)
            {
                result[i] = (float)dq[i];
            }

            return result;
        }

        return DType switch
        {
            CheckpointDType.Float32 => Gather<float>(),
            CheckpointDType.Float64 => Array.ConvertAll(Gather<double>(), v => (float)v),
            CheckpointDType.Float16 => Array.ConvertAll(Gather<Half>(), v => (float)v),
            CheckpointDType.BFloat16 => Array.ConvertAll(Gather<ushort>(), v => BitConverter.Int32BitsToSingle(v << 16)),
            _ => Array.ConvertAll(ToInt64(), v => (float)v),
        };
    }

    /// <summary>The values as double (dequantized for quantized tensors, exact for float64 tensors).</summary>
    public double[] ToDouble()
    {
        if (IsQuantized)
        {
            return Dequantize();
        }

        return DType switch
        {
            CheckpointDType.Float64 => Gather<double>(),
            CheckpointDType.Float32 or CheckpointDType.Float16 or CheckpointDType.BFloat16 => Array.ConvertAll(ToFloat(), v => (double)v),
            _ => Array.ConvertAll(ToInt64(), v => (double)v),
        };
    }

    /// <summary>
    /// The values of an integer or bool tensor as long; for a quantized tensor the raw quantized integers (not dequantized).
    /// </summary>
    public long[] ToInt64() => DType switch
    {
        CheckpointDType.Int64 => Gather<long>(),
        CheckpointDType.Int32 or CheckpointDType.QInt32 => Array.ConvertAll(Gather<int>(), v => (long)v),
        CheckpointDType.Int16 => Array.ConvertAll(Gather<short>(), v => (long)v),
        CheckpointDType.Int8 or CheckpointDType.QInt8 => Array.ConvertAll(Gather<sbyte>(), v => (long)v),
        CheckpointDType.UInt8 or CheckpointDType.QUInt8 or CheckpointDType.Bool => Array.ConvertAll(Gather<byte>(), v => (long)v),
        _ => throw new InvalidOperationException($"A {DType} tensor has no integer values; use ToFloat() or ToDouble()."),
    };

    /// <summary>The raw signed 8-bit values of a qint8 (or int8) tensor, in logical row-major order.</summary>
    public sbyte[] GetInt8Values() => DType is CheckpointDType.QInt8 or CheckpointDType.Int8
        ? Gather<sbyte>()
        : throw new InvalidOperationException($"GetInt8Values needs a qint8 or int8 tensor, this one is {DType}.");

    /// <summary>The raw unsigned 8-bit values of a quint8 (or uint8/bool) tensor, in logical row-major order.</summary>
    public byte[] GetUInt8Values() => DType is CheckpointDType.QUInt8 or CheckpointDType.UInt8 or CheckpointDType.Bool
        ? Gather<byte>()
        : throw new InvalidOperationException($"GetUInt8Values needs a quint8, uint8 or bool tensor, this one is {DType}.");

    /// <summary>The single value of a one-element tensor (e.g. a stored <c>scale</c> or <c>zero_point</c>) as double.</summary>
    public double ToScalar() => ElementCount == 1
        ? ToDouble()[0]
        : throw new InvalidOperationException($"ToScalar needs a one-element tensor, this one has shape {ShapeText}.");

    /// <summary>A new float32 CPU tensor with the (dequantized) values and this shape. The caller disposes it.</summary>
    public torch.Tensor ToTorch()
    {
        var values = ToFloat();
        return torch.tensor(values, _shape, torch.ScalarType.Float32);
    }

    public override string ToString() =>
        $"{DType}{ShapeText}" + (Quantization is null ? string.Empty : " " + Quantization);

    internal static int ElementSize(CheckpointDType dtype) => dtype switch
    {
        CheckpointDType.Float64 or CheckpointDType.Int64 => 8,
        CheckpointDType.Float32 or CheckpointDType.Int32 or CheckpointDType.QInt32 => 4,
        CheckpointDType.Float16 or CheckpointDType.BFloat16 or CheckpointDType.Int16 => 2,
        CheckpointDType.Int8 or CheckpointDType.UInt8 or CheckpointDType.Bool or CheckpointDType.QInt8 or CheckpointDType.QUInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Number of storage elements the view touches (highest addressed element + 1), 0 for an empty tensor.</summary>
    internal long RequiredStorageElements()
    {
        if (_shape.Any(s => s == 0))
        {
            return 0;
        }

        var last = StorageOffset;
        for (var d = 0; d < _shape.Length; d++)
        {
            last += (_shape[d] - 1) * _strides[d];
        }

        return last + 1;
    }

    private double[] Dequantize()
    {
        var q = ToInt64();
        var qp = Quantization!;
        var result = new double[q.Length];
        if (qp.Scheme == QuantizationScheme.PerTensorAffine)
        {
            var scale = qp.Scale;
            var zp = qp.ZeroPoint;
            for (var i = 0; i < q.Length; i++)
            {
                result[i] = (q[i] - zp) * scale;
            }

            return result;
        }

        // Row-major logical order: the channel index along `axis` is (i / inner) % size[axis].
        var axis = qp.Axis;
        long inner = 1;
        for (var d = axis + 1; d < _shape.Length; d++)
        {
            inner *= _shape[d];
        }

        var channels = _shape[axis];
        for (var i = 0; i < q.Length; i++)
        {
            var c = (int)(i / inner % channels);
            result[i] = (q[i] - qp.ZeroPoints[c]) * qp.Scales[c];
        }

        return result;
    }

    private T[] Gather<T>()
        where T : unmanaged
    {
        var source = MemoryMarshal.Cast<byte, T>(_storage.Bytes.AsSpan());
        var count = checked((int)ElementCount);
        var result = new T[count];
        if (count == 0)
        {
            return result;
        }

        var rank = _shape.Length;
        var index = new long[rank];
        var position = StorageOffset;
        for (var i = 0; i < count; i++)
        {
            result[i] = source[checked((int)position)];

            // Odometer over the logical index, last dimension fastest.
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                position += _strides[d];
                if (index[d] < _shape[d])
                {
                    break;
                }

                position -= _strides[d] * index[d];
                index[d] = 0;
            }
        }

        return result;
    }
}
