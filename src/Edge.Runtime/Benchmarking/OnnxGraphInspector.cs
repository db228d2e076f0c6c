namespace Edge.Runtime.Benchmarking;

/// <summary>
/// Counts the operators of an ONNX model's main graph by reading the protobuf wire format directly
/// (ModelProto.graph = field 7, GraphProto.node = field 1, NodeProto.op_type = field 4). Enough to tell a QDQ model
/// (QuantizeLinear / DequantizeLinear nodes) from an fp32 one without a protobuf dependency in the runtime.
/// </summary>
public static class OnnxGraphInspector
{
    public const string QuantizeLinear = "QuantizeLinear";
    public const string DequantizeLinear = "DequantizeLinear";

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    /// <summary>Operator type → node count of the main graph (subgraphs and functions are not visited).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed protobuf message.</exception>
    public static IReadOnlyDictionary<string, int> CountOperators(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: '{modelPath}'.", modelPath);
        }

        var bytes = File.ReadAllBytes(modelPath);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var graph in Fields(bytes, 0, bytes.Length, 7))
            {
                foreach (var node in Fields(bytes, graph.Start, graph.Length, 1))
                {
                    foreach (var opType in Fields(bytes, node.Start, node.Length, 4))
                    {
                        var name = System.Text.Encoding.UTF8.GetString(bytes, opType.Start, opType.Length);
                        counts[name] = counts.GetValueOrDefault(name) + 1;
                    }
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Model '{modelPath}': not a readable ONNX protobuf ({ex.Message}).", ex);
        }

        return counts;
    }

    /// <summary>QuantizeLinear nodes in the main graph.</summary>
    public static int CountQuantizeNodes(string modelPath) => CountOperators(modelPath).GetValueOrDefault(QuantizeLinear);

    /// <summary>
    /// The length-delimited occurrences of field <paramref name="fieldNumber"/> in the message at
    /// <paramref name="start"/>..+<paramref name="length"/> of <paramref name="buffer"/> (absolute offsets).
    /// </summary>
    private static List<(int Start, int Length)> Fields(byte[] buffer, int start, int length, int fieldNumber)
    {
        var result = new List<(int Start, int Length)>();
        var message = new ReadOnlySpan<byte>(buffer, 0, start + length);
        var position = start;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case WireVarint:
                    ReadVarint(message, ref position);
                    break;
                case WireFixed64:
                    position = Advance(message, position, 8);
                    break;
                case WireFixed32:
                    position = Advance(message, position, 4);
                    break;
                case WireLengthDelimited:
                    var size = ReadVarint(message, ref position);
                    if (size > (ulong)(message.Length - position))
                    {
                        throw new InvalidDataException($"field {field} at byte {position}: expected {size} bytes, got {message.Length - position}");
                    }

                    if (field == fieldNumber)
                    {
                        result.Add((position, (int)size));
                    }

                    position += (int)size;
                    break;
                default:
                    throw new InvalidDataException($"field {field} at byte {position}: expected wire type 0, 1, 2 or 5, got {wire}");
            }
        }

        return result;
    }

    private static int Advance(ReadOnlySpan<byte> message, int position, int count)
    {
        if (count > message.Length - position)
        {
            throw new InvalidDataException($"byte {position}: expected {count} more bytes, got {message.Length - position}");
        }

        return position + count;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw new InvalidDataException($"byte {position}: varint runs past the end of the message");
            }

            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException($"byte {position}: varint longer than 10 bytes");
    }
}
