using System.CommandLine;
using Host.Tools.Progress;
using Host.Tools.Quantization;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary><c>edgeseg-tools quantize</c>: post-training static INT8 quantization of an ONNX model into QDQ form.</summary>
public sealed class QuantizeCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public QuantizeCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Float ONNX model (input [1,3,H,W])", Required = true };
        var calib = new Option<string>("--calib") { Description = "Folder of calibration images (searched recursively)", Required = true };
        var count = new Option<int>("--count") { Description = "Calibration images to use", DefaultValueFactory = _ => 8 };
        var method = new Option<CalibrationMethod>("--method") { Description = "minmax | percentile | entropy", DefaultValueFactory = _ => CalibrationMethod.MinMax };
        var percentile = new Option<double>("--percentile") { Description = "Percentile for --method percentile", DefaultValueFactory = _ => 99.99 };
        var target = new Option<QuantizationTargetKind>("--target") { Description = "cpu (uint8 activations, int32 bias) | tensorrt (int8 symmetric)", DefaultValueFactory = _ => QuantizationTargetKind.Cpu };
        var keep = new Option<string?>("--keep-float") { Description = "Comma-separated node names / name prefixes (e.g. decoder.output_conv) or tensors kept float" };
        var noFold = new Option<bool>("--no-fold-bn") { Description = "Do not fold BatchNormalization into the preceding convolution" };
        var noRewrite = new Option<bool>("--no-rewrite") { Description = "Quantize the graph as exported (no PRelu -> LeakyRelu, ConvTranspose -> Conv + DepthToSpace rewrites)" };
        var keepSensitive = new Option<int>("--keep-sensitive") { Description = "Keep the K convolutions whose quantization alone changes the output most in float (layer-wise sensitivity on 2 calibration images)" };
        var output = new Option<string>("--out") { Description = "Output QDQ .onnx", Required = true };
        var heads = new Option<bool>("--heads") { Description = "Also write <out>-heads.onnx: the card's default score and the road mask appended (float) after the quantized network" };
        var headsTemperature = new Option<double?>("--heads-temperature") { Description = "Temperature of the score head (default: the card's, else 1)" };
        var headsLabels = new Option<bool>("--heads-labels") { Description = "The heads model also outputs 'labels' (uint8 argmax class)" };
        var command = new Command("quantize", "Post-training static INT8 quantization (QDQ) with calibration on images")
        {
            model, calib, count, method, percentile, target, keep, noFold, noRewrite, keepSensitive, output, heads, headsTemperature, headsLabels,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "quantize", logger =>
        {
            var settings = new QuantizeSettings
            {
                ModelPath = parse.GetValue(model)!,
                CalibrationDirectory = parse.GetValue(calib)!,
                Count = parse.GetValue(count),
                Method = parse.GetValue(method),
                Percentile = parse.GetValue(percentile),
                Target = parse.GetValue(target),
                KeepFloat = (parse.GetValue(keep) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                FoldBatchNorm = !parse.GetValue(noFold),
                RewriteGraph = !parse.GetValue(noRewrite),
                KeepSensitive = parse.GetValue(keepSensitive),
                OutputPath = parse.GetValue(output)!,
            };
            var result = WorkProgress.Run(() => new StaticQuantizer(logger).Quantize(settings));
            if (result.CalibrationTablePath is not null)
            {
                logger.LogInformation("TensorRT calibration table: {Table}", result.CalibrationTablePath);
            }

            if (parse.GetValue(heads))
            {
                HeadsOptions.Write(logger, settings.OutputPath, parse.GetValue(headsTemperature), parse.GetValue(headsLabels));
            }

            return 0;
        }));
        return command;
    }
}
