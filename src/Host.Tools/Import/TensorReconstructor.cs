using System.IO.Compression;

namespace Host.Tools.Import;

/// <summary>
/// The torch side of unpickling a checkpoint: loads storages named by persistent ids from the zip and rebuilds
/// tensors from <c>torch._utils</c> calls. Other callables become <see cref="PythonObject"/>s.
/// </summary>
internal sealed class TensorReconstructor
{
    private readonly string _path;
    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly bool _bigEndian;
    private readonly Dictionary<string, TensorStorage> _storages = [];

    public TensorReconstructor(string path, ZipArchive zip, string prefix, bool bigEndian)
    {
        _path = path;
        _zip = zip;
        _prefix = prefix;
        _bigEndian = bigEndian;
    }

    public object? PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: >= 5 } tuple || tuple[0] is not "storage")
        {
            throw new CheckpointFormatException(_path, $"unsupported persistent id {Describe(pid)}, expected ('storage', type, key, location, numel)");
        }

        var key = tuple[2] as string ?? Convert.ToString(tuple[2], System.Globalization.CultureInfo.InvariantCulture)!;
        if (_storages.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var dtype = StorageDType(tuple[1]);
        var numel = tuple[4] is long n ? n : throw new CheckpointFormatException(_path, $"storage {key} has no element count");
        var entryName = _prefix + "data/" + key;
        var entry = _zip.GetEntry(entryName)
            ?? throw new CheckpointFormatException(_path, $"storage entry '{entryName}' referenced by data.pkl is missing from the zip");
        var bytes = PyTorchCheckpointReader.ReadAll(entry);
        var elementSize = CheckpointTensor.ElementSize(dtype);
        if (bytes.LongLength < numel * elementSize)
        {
            throw new CheckpointFormatException(_path, $"storage '{entryName}' has {bytes.LongLength} bytes, expected {numel} x {elementSize} = {numel * elementSize}");
        }

        if (_bigEndian && elementSize > 1)
        {
            for (var i = 0; i + elementSize <= bytes.Length; i += elementSize)
            {
                Array.Reverse(bytes, i, elementSize);
            }
        }

        var storage = new TensorStorage(key, dtype, bytes);
        _storages[key] = storage;
        return storage;
    }

    public object? Call(PythonGlobal callable, object?[] args)
    {
        switch (callable.FullName)
        {
            case "collections.OrderedDict":
            case "builtins.dict":
                return new OrderedDictionary<object, object?>();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return RebuildTensor(args, quantized: false, requiresGradIndex: 4);
            case "torch._utils._rebuild_qtensor":
                return RebuildTensor(args, quantized: true, requiresGradIndex: 5);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
            {
                var tensor = args.Length > 0 && args[0] is CheckpointTensor t
                    ? t
                    : throw new CheckpointFormatException(_path, $"{callable} called without a tensor ({Describe(args)})");
                tensor.IsParameter = true;
                tensor.RequiresGrad = args.Length > 1 && args[1] is true;
                return tensor;
            }

            case "torch.Size":
                return args.Length > 0 ? args[0] : Array.Empty<object?>();
            default:
                return new PythonObject(callable, args);
        }
    }

    private CheckpointTensor RebuildTensor(object?[] args, bool quantized, int requiresGradIndex)
    {
        var what = quantized ? "_rebuild_qtensor" : "_rebuild_tensor_v2";
        if (args.Length < 4 || args[0] is not TensorStorage storage)
        {
            throw new CheckpointFormatException(_path, $"{what} called with unexpected arguments {Describe(args)}");
        }

        var offset = AsLong(args[1], what);
        var shape = AsLongs(args[2], what);
        var strides = AsLongs(args[3], what);
        if (shape.Length != strides.Length)
        {
            throw new CheckpointFormatException(_path, $"{what}: size has {shape.Length} dims but stride has {strides.Length}");
        }

        QuantizationParameters? quantization = null;
        if (quantized)
        {
            if (storage.DType is not (CheckpointDType.QInt8 or CheckpointDType.QUInt8 or CheckpointDType.QInt32))
            {
                throw new CheckpointFormatException(_path, $"quantized tensor over a {storage.DType} storage, expected QInt8/QUInt8/QInt32Storage");
            }

            quantization = ParseQuantizer(args.Length > 4 ? args[4] : null, shape);
        }

        var tensor = new CheckpointTensor(storage, offset, shape, strides, quantization, args.Length > requiresGradIndex && args[requiresGradIndex] is true);
        if (tensor.RequiredStorageElements() > storage.ElementCount)
        {
            throw new CheckpointFormatException(
                _path,
                $"tensor {tensor.ShapeText} (offset {offset}, strides [{string.Join(", ", strides)}]) reaches past the end of storage '{storage.Key}' ({storage.ElementCount} elements)");
        }

        return tensor;
    }

    private QuantizationParameters ParseQuantizer(object? value, long[] shape)
    {
        if (value is not object?[] { Length: >= 1 } qp || qp[0] is not PythonGlobal scheme)
        {
            throw new CheckpointFormatException(_path, $"quantizer params {Describe(value)} are not (qscheme, ...)");
        }

        switch (scheme.FullName)
        {
            case "torch.per_tensor_affine" or "torch.per_tensor_symmetric" when qp.Length >= 3:
                return new QuantizationParameters(QuantizationScheme.PerTensorAffine, [AsDouble(qp[1])], [AsLong(qp[2], "zero_point")], -1);
            case "torch.per_channel_affine" or "torch.per_channel_symmetric" or "torch.per_channel_affine_float_qparams" when qp.Length >= 4:
            {
                var scales = qp[1] as CheckpointTensor ?? throw new CheckpointFormatException(_path, "per-channel scales are not a tensor");
                var zeroPoints = qp[2] as CheckpointTensor ?? throw new CheckpointFormatException(_path, "per-channel zero points are not a tensor");
                var axis = (int)AsLong(qp[3], "axis");
                if (axis < 0 || axis >= shape.Length)
                {
                    throw new CheckpointFormatException(_path, $"per-channel axis {axis} outside a tensor of {shape.Length} dims");
                }

                var scaleValues = scales.ToDouble();
                var zeroPointValues = zeroPoints.DType is CheckpointDType.Float32 or CheckpointDType.Float64
                    ? Array.ConvertAll(zeroPoints.ToDouble(), v => (long)v)
                    : zeroPoints.ToInt64();
                if (scaleValues.Length != shape[axis] || zeroPointValues.Length != shape[axis])
                {
                    throw new CheckpointFormatException(
                        _path,
                        $"per-channel quantization has {scaleValues.Length} scales and {zeroPointValues.Length} zero points, expected {shape[axis]} (size along axis {axis})");
                }

                return new QuantizationParameters(QuantizationScheme.PerChannelAffine, scaleValues, zeroPointValues, axis);
            }

            default:
                throw new CheckpointFormatException(_path, $"unsupported quantization scheme {scheme} with {qp.Length - 1} parameters");
        }
    }

    private CheckpointDType StorageDType(object? type)
    {
        var name = type switch
        {
            PythonGlobal g => g.FullName,
            string s => s,
            _ => throw new CheckpointFormatException(_path, $"storage type {Describe(type)} is not a torch storage class"),
        };
        return name switch
        {
            "torch.FloatStorage" or "torch.float32" => CheckpointDType.Float32,
            "torch.DoubleStorage" or "torch.float64" => CheckpointDType.Float64,
            "torch.HalfStorage" or "torch.float16" => CheckpointDType.Float16,
            "torch.BFloat16Storage" or "torch.bfloat16" => CheckpointDType.BFloat16,
            "torch.LongStorage" or "torch.int64" => CheckpointDType.Int64,
            "torch.IntStorage" or "torch.int32" => CheckpointDType.Int32,
            "torch.ShortStorage" or "torch.int16" => CheckpointDType.Int16,
            "torch.CharStorage" or "torch.int8" => CheckpointDType.Int8,
            "torch.ByteStorage" or "torch.uint8" or "torch.UntypedStorage" => CheckpointDType.UInt8,
            "torch.BoolStorage" or "torch.bool" => CheckpointDType.Bool,
            "torch.QInt8Storage" or "torch.qint8" => CheckpointDType.QInt8,
            "torch.QUInt8Storage" or "torch.quint8" => CheckpointDType.QUInt8,
            "torch.QInt32Storage" or "torch.qint32" => CheckpointDType.QInt32,
            _ => throw new CheckpointFormatException(_path, $"unsupported storage type {name}"),
        };
    }

    private long AsLong(object? value, string what) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new CheckpointFormatException(_path, $"{what}: expected an int, found {Describe(value)}"),
    };

    private double AsDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        CheckpointTensor t => t.ToScalar(),
        _ => throw new CheckpointFormatException(_path, $"expected a float scale, found {Describe(value)}"),
    };

    private long[] AsLongs(object? value, string what) => value switch
    {
        object?[] tuple => Array.ConvertAll(tuple, v => AsLong(v, what)),
        List<object?> list => list.Select(v => AsLong(v, what)).ToArray(),
        _ => throw new CheckpointFormatException(_path, $"{what}: expected a tuple of ints, found {Describe(value)}"),
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        object?[] tuple => "(" + string.Join(", ", tuple.Select(Describe)) + ")",
        string s => "'" + s + "'",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
