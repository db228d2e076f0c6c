using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Edge.Runtime.IO;

namespace Host.Tools.IO;

/// <summary>
/// Writes float32 arrays as NumPy <c>.npy</c> version 1.0 files: magic, little-endian header length, an ASCII dict
/// header <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (...), }</c> padded with spaces so the data starts
/// at a multiple of 64 bytes (the header ends with a newline), then C-order little-endian data — byte-identical to
/// <c>numpy.save</c>, including its growth padding for the first axis. Files are written atomically.
/// </summary>
public static class NpyWriter
{
    private const int GrowthAxisMaxDigits = 21;

    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        var header = BuildHeader(shape);
        ValidateLength(data.Length, shape);
        var bytes = ToLittleEndianBytes(data);
        AtomicFile.Write(path, stream => WriteTo(stream, header, bytes));
    }

    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Write(path, array.Data, array.Shape);
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<float> data, int[] shape, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var header = BuildHeader(shape);
        ValidateLength(data.Length, shape);
        await AtomicFile.WriteAsync(
            path,
            async (stream, ct) =>
            {
                await stream.WriteAsync(header, ct).ConfigureAwait(false);
                await stream.WriteAsync(ToLittleEndianBytes(data.Span), ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a complete .npy image (header and data) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ValidateLength(data.Length, shape);
        WriteTo(stream, BuildHeader(shape), ToLittleEndianBytes(data));
    }

    /// <summary>Magic, version 1.0, header length and the padded header dictionary.</summary>
    public static byte[] BuildHeader(ReadOnlySpan<int> shape)
    {
        var dims = new StringBuilder();
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            dims.Append(d.ToString(CultureInfo.InvariantCulture)).Append(", ");
        }

        // NumPy's repr of a tuple: (), (n,), (a, b)
        var shapeText = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0]},)",
            _ => $"({dims.ToString(0, dims.Length - 2)})",
        };
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";

        // Same bytes as numpy.save: room for the first axis to grow to 21 digits in place, then spaces so that
        // magic + version + length + header + '\n' ends on a 64-byte boundary (numpy adds a full 64 when already aligned).
        const int preamble = 10; // magic(6) + version(2) + header length(2)
        if (shape.Length > 0)
        {
            dict += new string(' ', Math.Max(0, GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length));
        }

        var withNewline = dict.Length + 1;
        var padding = 64 - ((preamble + withNewline) % 64);
        var total = preamble + withNewline + padding;
        var headerLength = total - preamble;
        if (headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"Shape too long for a version 1.0 header: {headerLength} bytes (max {ushort.MaxValue}).", nameof(shape));
        }

        var bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        var text = dict + new string(' ', padding) + "\n";
        Encoding.ASCII.GetBytes(text, bytes.AsSpan(preamble));
        return bytes;
    }

    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        return count;
    }

    private static void ValidateLength(int length, ReadOnlySpan<int> shape)
    {
        var expected = ElementCount(shape);
        if (expected != length)
        {
            throw new ArgumentException($"Data length: expected {expected} for shape [{string.Join(", ", shape.ToArray())}], got {length}.");
        }
    }

    private static byte[] ToLittleEndianBytes(ReadOnlySpan<float> data)
    {
        var bytes = MemoryMarshal.AsBytes(data).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            var ints = MemoryMarshal.Cast<byte, int>(bytes.AsSpan());
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }

        return bytes;
    }

    private static void WriteTo(Stream stream, byte[] header, byte[] data)
    {
        stream.Write(header);
        stream.Write(data);
    }
}
