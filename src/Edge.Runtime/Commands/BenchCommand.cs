using System.CommandLine;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Configuration;
using Edge.Runtime.Inference;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Commands;

/// <summary>
/// <c>edgeseg bench</c>: parses the options and delegates — <see cref="ModelBench"/> times one model frame by frame
/// (preprocess, inference, score), <see cref="PipelineBench"/> the whole runtime with <c>--pipeline</c>, and
/// <see cref="BenchReportWriter"/> prints and writes the reports. The top-level percentiles are the inference stage's;
/// <c>breakdown</c> has all stages.
/// </summary>
public sealed class BenchCommand
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _richOutput;

    /// <param name="loggerFactory">Logging sink for session/provider messages.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where error messages go.</param>
    /// <param name="richOutput">True to print a Spectre table (interactive terminal), false for plain lines.</param>
    public BenchCommand(ILoggerFactory loggerFactory, TextWriter output, TextWriter error, bool richOutput)
    {
        _loggerFactory = loggerFactory;
        _output = output;
        _error = error;
        _richOutput = richOutput;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model file (input 'image' [1,3,H,W], output 'logits' [1,C,H,W])", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Timed runs", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before timing", DefaultValueFactory = _ => 3 };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference, e.g. tensorrt,cuda,cpu (CPU is always the last resort)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [CpuExecutionProvider.ProviderName],
        };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: all cores)" };
        var image = new Option<string?>("--image") { Description = "Image to preprocess into the input (default: a deterministic pattern)" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file" };
        var markdown = new Option<string?>("--markdown") { Description = "Write the results as a Markdown table to this file" };
        var precision = new Option<InferencePrecision>("--precision")
        {
            Description = "fp32, fp16 or int8: TensorRT builds an engine of that precision; CPU/CUDA run fp32 (int8 only for a QDQ model)",
            DefaultValueFactory = _ => InferencePrecision.Fp32,
        };
        var engineCache = new Option<string?>("--trt-engine-cache") { Description = "TensorRT engine cache folder (built once, reused)" };
        var timingCache = new Option<string?>("--trt-timing-cache") { Description = "TensorRT timing cache folder" };
        var pipeline = new Option<bool>("--pipeline") { Description = "After the bare bench, run the whole runtime (source -> inference -> hazards -> queue -> MQTT) for --max-frames (default --iterations) frames" };
        var source = new Option<string?>("--source") { Description = "Frame source of --pipeline (any `edgeseg run` source; finite ones are looped)" };
        var broker = new Option<string?>("--broker") { Description = "MQTT broker of --pipeline, mqtt://host:port (default: embedded broker on a free loopback port)" };
        var config = new Option<string?>("--config") { Description = "Settings file (edgeseg.json; default settings otherwise): its model section (spinning, arena, memory pattern) for the bare bench too, the rest for --pipeline" };
        var maxFrames = new Option<long?>("--max-frames") { Description = "Frames of the --pipeline run (default: --iterations)" };
        var queueDir = new Option<string?>("--queue-dir") { Description = "Alert queue folder of --pipeline (default: a temporary folder, deleted afterwards)" };
        var realtime = new Option<bool>("--realtime") { Description = "--pipeline source plays like a live camera: a video at its own rate (an image folder at --config's source.fps), late frames skipped" };

        iterations.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"--iterations: expected >= 1, got {r.GetValueOrDefault<int>()}.");
            }
        });
        warmup.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--warmup: expected >= 0, got {r.GetValueOrDefault<int>()}.");
            }
        });
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError($"--threads: expected >= 1, got {r.GetValueOrDefault<int?>()}.");
            }
        });
        providers.Validators.Add(r =>
        {
            var unknown = ExecutionProviderChain.ParseNames(r.GetValueOrDefault<string[]>() ?? []).Where(p => !ExecutionProviderChain.KnownNames.Contains(p)).ToList();
            if (unknown.Count > 0)
            {
                r.AddError($"--provider: expected names from {string.Join(", ", ExecutionProviderChain.KnownNames)}, got {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
            }
        });

        var command = new Command("bench", "Time inference of one model with a given execution provider chain")
        {
            model, iterations, warmup, providers, precision, threads, image, json, markdown, engineCache, timingCache,
            pipeline, source, broker, config, maxFrames, queueDir, realtime,
        };
        command.SetAction((parseResult, cancellationToken) => ExecuteAsync(
            new BenchSettings
            {
                ModelPath = parseResult.GetValue(model)!,
                Iterations = parseResult.GetValue(iterations),
                Warmup = parseResult.GetValue(warmup),
                Providers = ExecutionProviderChain.ParseNames(parseResult.GetValue(providers) ?? []),
                Threads = parseResult.GetValue(threads),
                ImagePath = parseResult.GetValue(image),
                JsonPath = parseResult.GetValue(json),
                MarkdownPath = parseResult.GetValue(markdown),
                Precision = parseResult.GetValue(precision),
                EngineCacheDirectory = parseResult.GetValue(engineCache),
                TimingCacheDirectory = parseResult.GetValue(timingCache),
                Pipeline = parseResult.GetValue(pipeline),
                Source = parseResult.GetValue(source),
                Broker = parseResult.GetValue(broker),
                ConfigPath = parseResult.GetValue(config),
                MaxFrames = parseResult.GetValue(maxFrames),
                QueueDirectory = parseResult.GetValue(queueDir),
                Realtime = parseResult.GetValue(realtime),
            },
            cancellationToken));
        return command;
    }

    /// <summary>
    /// Runs the benchmark and returns the process exit code (see <see cref="ExitCodes"/>): measures
    /// (<see cref="ModelBench"/>, then <see cref="PipelineBench"/> with <c>--pipeline</c>) and renders
    /// (<see cref="BenchReportWriter"/>).
    /// </summary>
    public async Task<int> ExecuteAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            settings.Validate();
            // The bare bench runs the network the way the runtime would (model.allow_spinning, memory pattern, arena of
            // --config and EDGESEG__MODEL__*), so "whole runtime / bare inference" compares like with like.
            settings = settings with { SessionTuning = settings.SessionTuning ?? RuntimeSettings.Load(settings.ConfigPath).Model };
            var writer = new BenchReportWriter(_output, _richOutput);
            var report = new ModelBench(_loggerFactory).Measure(settings, cancellationToken);
            writer.Print(report);
            if (settings.Pipeline)
            {
                var whole = await new PipelineBench(_loggerFactory).MeasureAsync(settings, report, cancellationToken).ConfigureAwait(false);
                writer.PrintPipeline(whole);
                await BenchReportWriter.WriteFilesAsync(settings, whole, PipelineBenchMarkdown.Render(whole), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await BenchReportWriter.WriteFilesAsync(settings, report, BenchMarkdown.Render(report), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (FileNotFoundException ex)
        {
            await _error.WriteLineAsync($"edgeseg bench: {ex.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.MissingFile;
        }
        catch (Exception ex) when (ex is ArgumentException or ModelLoadException or InvalidDataException or IOException or UnauthorizedAccessException
            or Edge.Camera.FrameSourceException or TimeoutException)
        {
            await _error.WriteLineAsync($"edgeseg bench: {ex.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
