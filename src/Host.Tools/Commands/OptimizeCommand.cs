using System.CommandLine;
using Host.Tools.Export;
using Host.Tools.Optimization;
using Host.Tools.Quantization;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools optimize</c>: the exact graph rewrites of <see cref="GraphOptimizer"/> on a float model.</summary>
public sealed class OptimizeCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public OptimizeCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model", Required = true };
        var output = new Option<string>("--out") { Description = "Output .onnx (the model card is copied beside it)", Required = true };
        var noFold = new Option<bool>("--no-fold-bn") { Description = "Keep BatchNormalization nodes" };
        var convTranspose = new Option<bool>("--convtranspose") { Description = "Also rewrite strided ConvTranspose as Conv + DepthToSpace (not faster in float on ORT CPU but no column buffer: ~50 MB less peak memory for ENet; heads models and the quantizer get it anyway)" };
        var command = new Command("optimize", "Exact graph rewrites for ONNX Runtime CPU: scalar PRelu -> LeakyRelu, BN folding (optionally ConvTranspose -> Conv + DepthToSpace)")
        {
            model, output, noFold, convTranspose,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "optimize", logger =>
        {
            var path = parse.GetValue(model)!;
            var outPath = parse.GetValue(output)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--model: '{path}' does not exist.", path);
            }

            if (!outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || Path.GetFullPath(outPath) == Path.GetFullPath(path))
            {
                throw new ArgumentException($"--out: expected a new path ending in .onnx, got '{outPath}'.");
            }

            var proto = StaticQuantizer.LoadModel(path);
            var counts = GraphOptimizer.Apply(proto, !parse.GetValue(noFold), parse.GetValue(convTranspose) ? _ => true : null);
            OnnxExporter.Save(proto, outPath);
            StaticQuantizer.WriteCard(path, outPath, architectureSuffix: string.Empty);
            logger.LogInformation("wrote {Path}: {Rewrites}", outPath, string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
            return 0;
        }));
        return command;
    }
}
