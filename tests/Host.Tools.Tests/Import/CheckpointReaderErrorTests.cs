using System.IO.Compression;
using Host.Tools.Import;

namespace Host.Tools.Tests.Import;

public sealed class CheckpointReaderErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingFileThrowsFormatExceptionNamingTheFile()
    {
        var path = _temp.File("does-not-exist.pth");

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Equal(path, ex.SourcePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsNotAZipThrowsFormatExceptionSayingAZipWasExpected()
    {
        var path = _temp.File("text.pth");
        File.WriteAllText(path, "this is not a checkpoint\n");

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable zip", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void TruncatedRealCheckpointThrowsFormatExceptionMentioningTruncation()
    {
        var source = File.ReadAllBytes(ImportTestData.Weight("seed/distillation/midenet_distilled.pth"));
        var path = _temp.File("half.pth");
        File.WriteAllBytes(path, source[..(source.Length / 2)]);

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipWithoutDataPklThrowsFormatExceptionSayingItIsNotAPyTorchCheckpoint()
    {
        var path = _temp.File("other.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("readme.txt").Open();
            stream.Write("hello"u8);
        }

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("data.pkl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a PyTorch checkpoint", ex.Message, StringComparison.Ordinal);
        Assert.Contains("readme.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageMissingFromTheZipThrowsFormatExceptionNamingTheEntry()
    {
        var writer = new TestCheckpointWriter();
        writer.OrderedDict();
        writer.Str("w");
        writer.Tensor("FloatStorage", "0", 4, 0, [4], [1]);
        writer.SetItem();
        var path = _temp.File("no-storage.pth");
        writer.Save(path);

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains("archive/data/0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorReachingPastItsStorageThrowsFormatException()
    {
        var writer = new TestCheckpointWriter();
        writer.AddFloatStorage("0", [1, 2, 3, 4]);
        writer.OrderedDict();
        writer.Str("w");
        writer.Tensor("FloatStorage", "0", 4, 2, [2, 2], [2, 1]);
        writer.SetItem();
        var path = _temp.File("overrun.pth");
        writer.Save(path);

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains("past the end of storage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopLevelObjectThatIsNotADictThrowsFormatException()
    {
        var writer = new TestCheckpointWriter();
        writer.Global("mymodels", "ENet");
        writer.Mark();
        writer.TupleFromMark();
        writer.Reduce();
        var path = _temp.File("whole-model.pth");
        writer.Save(path);

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains("mymodels.ENet", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected a dict", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptPickleThrowsFormatExceptionNamingTheOpcode()
    {
        var path = _temp.File("bad-pickle.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("archive/data.pkl").Open();
            stream.Write([0x80, 0x02, 0xff]);
        }

        var ex = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointReader.Read(path));

        Assert.Contains("opcode 0xff", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
