using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Models;
using Edge.Runtime.Preprocessing;
using Host.Tools.Calibration;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools calibrate-sml</c>: per predicted class, the mean and standard deviation of the max logit over
/// unlabelled driving frames (image folders and videos, through the vehicle's <see cref="CameraPreprocessor"/>), written
/// into the model card's <c>sml</c> for the SML scorer.
/// </summary>
public sealed class CalibrateSmlCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public CalibrateSmlCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "Exported .onnx with its model card", Required = true };
        var data = new Option<string[]>("--data") { Description = "Image folders (recursive) and/or videos of unlabelled driving frames", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Model card to write (default: the card beside the .onnx)" };
        var videoStride = new Option<int>("--video-stride") { Description = "Use every N-th frame of a video", DefaultValueFactory = _ => 10 };
        var maxFrames = new Option<int>("--max-frames") { Description = "At most N frames per folder or video", DefaultValueFactory = _ => 400 };
        var command = new Command("calibrate-sml", "Per-class max-logit mean/std (Standardized Max Logits) from unlabelled frames; write them into the model card")
        {
            model, data, output, videoStride, maxFrames,
        };
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "calibrate-sml", logger =>
        {
            var modelPath = parse.GetValue(model)!;
            var cardPath = ModelCard.PathFor(modelPath);
            var card = ModelCard.Load(cardPath);
            var frames = new SmlFrameSource([.. parse.GetValue(data)!.Select(Path.GetFullPath)], parse.GetValue(videoStride), parse.GetValue(maxFrames));
            using var source = new OnnxLogitSource(modelPath, _loggerFactory.CreateLogger<OnnxLogitSource>());
            if (source.Classes != card.Classes.Count)
            {
                throw new InvalidDataException($"Model card '{cardPath}': classes lists {card.Classes.Count} classes, the model outputs {source.Classes} channels.");
            }

            var statistics = WorkProgress.Run(() => Calibrate(source, frames, logger, card.VoidIndex));
            var outPath = parse.GetValue(output) ?? cardPath;
            (card with { Sml = statistics }).Save(outPath);
            logger.LogInformation("SML statistics of {Frames} frames written into {Card}", statistics.Frames, outPath);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Runs every frame through <paramref name="source"/> and accumulates the per-class max-logit statistics, leaving
    /// <paramref name="voidIndex"/> out of the max / argmax as the SML scorer does (its entry gets the all-pixel statistics).
    /// </summary>
    public static SmlStatistics Calibrate(ILogitSource source, SmlFrameSource frames, ILogger logger, int? voidIndex = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(logger);
        using var preprocessor = new CameraPreprocessor(source.Height, source.Width);
        var chw = new float[preprocessor.TensorLength];
        var accumulator = new SmlAccumulator(source.Classes, voidIndex);
        var pixels = source.Height * source.Width;
        using (var progress = WorkProgress.Track(logger, "SML statistics", frames.CountFrames()))
        {
            foreach (var (name, bgr) in frames.Frames())
            {
                preprocessor.Process(bgr, chw);
                accumulator.Add(source.Run(chw), pixels);
                progress.Advance(name);
            }
        }

        if (accumulator.Frames == 0)
        {
            throw new InvalidDataException($"--data: no frames in {string.Join(", ", frames.Paths)}.");
        }

        foreach (var c in accumulator.UnseenClasses)
        {
            logger.LogWarning("SML: class {Class} was never predicted in {Frames} frames; it gets the statistics of all pixels", c, accumulator.Frames);
        }

        var statistics = accumulator.ToStatistics(frames.Paths);
        for (var c = 0; c < source.Classes; c++)
        {
            logger.LogInformation("class {Class}: {Pixels} px, max logit mean {Mean:F3}, std {Std:F3}", c, accumulator.Counts[c], statistics.ClassMeans[c], statistics.ClassStds[c]);
        }

        return statistics;
    }
}
