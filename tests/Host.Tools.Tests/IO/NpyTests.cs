using System.Buffers.Binary;
using System.Text;
using Host.Tools.IO;
using Host.Tools.Tests.Support;

namespace Host.Tools.Tests.IO;

public sealed class NpyTests
{
    [Fact]
    public void Header_bytes_are_numpy_v1_f4_c_order_padded_to_64()
    {
        var header = NpyWriter.BuildHeader([1, 20, 8, 16]);

        // numpy.save writes 128 bytes here: 67-char dict, 20 growth spaces (21 - len("1")), 30 alignment spaces, '\n'.
        Assert.Equal(128, header.Length);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], header[..8]);
        Assert.Equal(118, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8)));
        var dict = Encoding.ASCII.GetString(header, 10, header.Length - 10);
        var expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 20, 8, 16), }";
        Assert.Equal(67, expected.Length);
        Assert.Equal(expected + new string(' ', 20 + 30) + "\n", dict);
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 7 }, "(7,)")]
    [InlineData(new[] { 2, 3 }, "(2, 3)")]
    public void Shape_is_written_as_python_tuple(int[] shape, string tuple)
    {
        var header = Encoding.ASCII.GetString(NpyWriter.BuildHeader(shape));

        Assert.Contains($"'shape': {tuple}, }}", header, StringComparison.Ordinal);
        Assert.Equal(0, header.Length % 64);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_shape_header_grows_to_next_multiple_of_64()
    {
        var header = NpyWriter.BuildHeader([100000, 100000, 100000, 100000, 100000, 100000, 100000]);

        Assert.Equal(192, header.Length);
        Assert.Equal(192 - 10, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8)));
    }

    [Fact]
    public void Round_trip_preserves_shape_and_bits()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "a.npy");
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (i * 0.37f) - 3f).ToArray();
        data[5] = float.NaN;
        data[6] = float.NegativeInfinity;
        data[7] = -0f;

        NpyWriter.Write(path, data, [2, 3, 4]);
        var read = NpyReader.Read(path);

        Assert.Equal([2, 3, 4], read.Shape);
        Assert.Equal(data.Select(BitConverter.SingleToInt32Bits), read.Data.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(NpyWriter.BuildHeader([2, 3, 4]).Length + (data.Length * 4), new FileInfo(path).Length);
    }

    [Fact]
    public void Data_is_little_endian_float32_after_header()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "b.npy");

        NpyWriter.Write(path, [1.5f, -2f], [2]);

        var bytes = File.ReadAllBytes(path);
        var dataStart = 10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, dataStart % 64);
        Assert.Equal(dataStart + 8, bytes.Length);
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + 4)));
    }

    [Fact]
    public async Task Async_write_is_atomic_and_leaves_no_temp_files()
    {
        var dir = TestPaths.NewTempDirectory();
        var path = Path.Combine(dir, "c.npy");
        File.WriteAllText(path, "old content");

        await NpyWriter.WriteAsync(path, new float[] { 1, 2, 3, 4 }, [4], CancellationToken.None);

        Assert.Equal([1f, 2f, 3f, 4f], NpyReader.Read(path).Data);
        Assert.Equal(["c.npy"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Failed_write_keeps_previous_file()
    {
        var dir = TestPaths.NewTempDirectory();
        var path = Path.Combine(dir, "d.npy");
        NpyWriter.Write(path, [1f], [1]);

        Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, [1f, 2f, 3f], [2, 2]));

        Assert.Equal([1f], NpyReader.Read(path).Data);
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Reader_rejects_other_dtypes_naming_the_file()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "e.npy");
        var header = NpyWriter.BuildHeader([1]);
        var text = Encoding.Latin1.GetString(header).Replace("<f4", "<f8", StringComparison.Ordinal);
        File.WriteAllBytes(path, [.. Encoding.Latin1.GetBytes(text), .. new byte[8]]);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("<f8", ex.Message, StringComparison.Ordinal);
    }
}
