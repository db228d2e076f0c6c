using System.CommandLine;
using Edge.Runtime.Inference;
using Host.Tools.IO;
using Host.Tools.Preprocessing;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools infer</c>: logits of one image (paper preprocessing) written as a NumPy .npy file.</summary>
public sealed class InferCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public InferCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model (input 'image', output 'logits')", Required = true };
        var image = new Option<string>("--image") { Description = "Image file (png, jpg, webp)", Required = true };
        var npy = new Option<string>("--npy") { Description = "Output .npy file: float32 logits [1,C,H,W]", Required = true };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [CpuExecutionProvider.ProviderName],
        };
        var command = new Command("infer", "Run a model on one image with the paper's preprocessing and save the logits")
        {
            model, image, npy, providers,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "infer", logger =>
        {
            var shape = Infer(parse.GetValue(model)!, parse.GetValue(image)!, parse.GetValue(npy)!, parse.GetValue(providers)!);
            logger.LogInformation("wrote {Npy} [{Shape}]", parse.GetValue(npy), string.Join(",", shape));
            return 0;
        }));
        return command;
    }

    /// <summary>Preprocesses <paramref name="imagePath"/> for the model, runs it once and writes the logits.</summary>
    public int[] Infer(string modelPath, string imagePath, string npyPath, IReadOnlyList<string> providers)
    {
        var rgb = ImageLoader.Load(imagePath);
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = modelPath, Providers = providers },
            _loggerFactory.CreateLogger<SegmentationSession>());
        var (h, w) = (session.InputShape[2], session.InputShape[3]);
        new PaperPreprocessor(h, w).Process(rgb, session.InputBuffer);
        session.Run();
        var shape = session.OutputShape.ToArray();
        NpyWriter.Write(npyPath, session.Logits, shape);
        return shape;
    }
}
