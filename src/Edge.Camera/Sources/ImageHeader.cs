using System.Buffers.Binary;

namespace Edge.Camera.Sources;

/// <summary>
/// Image dimensions from the file header, without decoding: PNG (IHDR), JPEG (SOFn marker), BMP. Lets a source refuse
/// an oversized image before the decoder allocates it (a 20000x20000 PNG needs 1.2 GB as BGR).
/// </summary>
public static class ImageHeader
{
    /// <summary>Reads width and height from the header of <paramref name="path"/>; false for other formats or a header that cannot be parsed.</summary>
    public static bool TryReadSize(string path, out int width, out int height)
    {
        (width, height) = (0, 0);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            Span<byte> head = stackalloc byte[26];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            head = head[..n];
            if (n >= 24 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) && head[12..16].SequenceEqual("IHDR"u8))
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]));
                return width > 0 && height > 0;
            }

            if (n >= 26 && head[0] == (byte)'B' && head[1] == (byte)'M')
            {
                (width, height) = (BinaryPrimitives.ReadInt32LittleEndian(head[18..]), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(head[22..])));
                return width > 0 && height > 0;
            }

            if (n >= 2 && head[0] == 0xFF && head[1] == 0xD8)
            {
                return TryReadJpeg(stream, out width, out height);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return false;
    }

    private static bool TryReadJpeg(FileStream stream, out int width, out int height)
    {
        (width, height) = (0, 0);
        stream.Position = 2;
        Span<byte> segment = stackalloc byte[9];
        while (stream.ReadAtLeast(segment[..4], 4, throwOnEndOfStream: false) == 4)
        {
            if (segment[0] != 0xFF)
            {
                return false;
            }

            var marker = segment[1];
            if (marker == 0xFF)
            {
                stream.Position -= 3; // fill byte: resync on the next one
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
            if (length < 2)
            {
                return false;
            }

            var isFrameHeader = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrameHeader)
            {
                if (stream.ReadAtLeast(segment[..5], 5, throwOnEndOfStream: false) < 5)
                {
                    return false;
                }

                (height, width) = (BinaryPrimitives.ReadUInt16BigEndian(segment[1..]), BinaryPrimitives.ReadUInt16BigEndian(segment[3..]));
                return width > 0 && height > 0;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image / start of scan before any frame header
            }

            stream.Position += length - 2;
        }

        return false;
    }
}
