using System.CommandLine;
using Host.Tools.Commands;
using Host.Tools.IO;
using Host.Tools.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Host.Tools.Tests.Export;

public sealed class InferCommandTests
{
    [Fact]
    public void Corrupt_onnx_fails_with_exit_code_and_message_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-infer-");
        try
        {
            var model = Path.Combine(dir.FullName, "broken.onnx");
            File.WriteAllBytes(model, [0x08, 0x07, 0x12, 0xff, 0xff, 0x01, 0x42]);
            var npy = Path.Combine(dir.FullName, "out.npy");
            var (code, stderr) = Invoke("infer", "--model", model, "--image",
                TestPaths.Shared("data/Validation_Dataset/RoadAnomaly21/images/0.png"), "--npy", npy);
            Assert.NotEqual(0, code);
            Assert.Contains("broken.onnx", stderr);
            Assert.False(File.Exists(npy));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Writes_logits_npy_with_model_output_shape()
    {
        var dir = Directory.CreateTempSubdirectory("edgeseg-infer-");
        try
        {
            var model = Path.Combine(dir.FullName, "mide.onnx");
            var (exportCode, exportErr) = Invoke("export", "--architecture", "midenet", "--checkpoint",
                TestPaths.Shared("weights/seed/distillation/midenet_distilled.pth"), "--out", model, "--height", "128", "--width", "256");
            Assert.True(exportCode == 0, exportErr);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "mide.json")));
            var npy = Path.Combine(dir.FullName, "out.npy");
            var (code, stderr) = Invoke("infer", "--model", model, "--image",
                TestPaths.Shared("data/Validation_Dataset/RoadAnomaly21/images/0.png"), "--npy", npy);
            Assert.True(code == 0, stderr);
            var array = NpyReader.Read(npy);
            Assert.Equal([1, 20, 128, 256], array.Shape);
            Assert.All(array.Data, v => Assert.True(float.IsFinite(v)));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Missing_image_fails_with_message_naming_it()
    {
        var (code, stderr) = Invoke("infer", "--model", "does-not-matter.onnx", "--image", "/nonexistent/x.png", "--npy", "/tmp/x.npy");
        Assert.NotEqual(0, code);
        Assert.Contains("/nonexistent/x.png", stderr);
    }

    private static (int Code, string Stderr) Invoke(params string[] args)
    {
        var root = new RootCommand
        {
            new InferCommand(NullLoggerFactory.Instance).Create(),
            new ExportCommand(NullLoggerFactory.Instance).Create(),
        };
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            var code = root.Parse(args).Invoke();
            return (code, error.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}
