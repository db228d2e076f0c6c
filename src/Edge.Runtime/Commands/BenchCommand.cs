using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;
using Edge.Runtime.IO;
using Edge.Runtime.Preprocessing;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using Spectre.Console;

namespace Edge.Runtime.Commands;

/// <summary>
/// <c>edgeseg bench</c>: times one model frame by frame, split into preprocessing (resize + CHW of a decoded frame:
/// <c>--image</c> or a deterministic 1280x720 pattern), inference (<see cref="SegmentationSession.Run"/>) and scoring
/// (MaxLogit). The top-level percentiles are the inference stage's; <c>breakdown</c> has all stages.
/// </summary>
public sealed class BenchCommand
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _richOutput;

    /// <summary>Size of the generated frame when no <c>--image</c> is given (a 720p camera).</summary>
    public const int PatternWidth = 1280;

    public const int PatternHeight = 720;

    private static readonly string[] StageColumns = ["p50 ms", "p95 ms", "p99 ms", "mean ms"];

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
        var config = new Option<string?>("--config") { Description = "Settings file for --pipeline (edgeseg.json; default settings otherwise)" };
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

    /// <summary>Runs the benchmark and returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public async Task<int> ExecuteAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            settings.Validate();
            var report = Measure(settings, cancellationToken);
            Print(report);
            if (settings.Pipeline)
            {
                var whole = await new PipelineBench(_loggerFactory).MeasureAsync(settings, report, cancellationToken).ConfigureAwait(false);
                foreach (var (name, value) in PipelineBenchMarkdown.Facts(whole))
                {
                    _output.WriteLine($"pipeline {name}: {value}");
                }

                foreach (var (name, stats) in PipelineBenchMarkdown.Stages(whole))
                {
                    _output.WriteLine($"pipeline {name}: {string.Join(" | ", StageValues(stats))}");
                }

                await WriteAsync(settings, whole, PipelineBenchMarkdown.Render(whole), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteAsync(settings, report, BenchMarkdown.Render(report), cancellationToken).ConfigureAwait(false);
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

    private static async Task WriteAsync<T>(BenchSettings settings, T report, string markdown, CancellationToken cancellationToken)
    {
        if (settings.JsonPath is { } jsonPath)
        {
            await AtomicFile.WriteAsync(
                jsonPath,
                (stream, ct) => JsonSerializer.SerializeAsync(stream, report, BenchReport.JsonOptions, ct),
                cancellationToken).ConfigureAwait(false);
        }

        if (settings.MarkdownPath is { } markdownPath)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(markdown);
            await AtomicFile.WriteAsync(
                markdownPath,
                (stream, ct) => stream.WriteAsync(text, ct).AsTask(),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads the session and times, per frame, preprocessing (resize + CHW of the decoded frame into the input),
    /// inference and scoring; warm-up frames run the same three stages untimed.
    /// </summary>
    public BenchReport Measure(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.ImagePath is { } imagePath && !File.Exists(imagePath))
        {
            throw new FileNotFoundException($"Image file not found: '{imagePath}'.", imagePath);
        }

        var logger = _loggerFactory.CreateLogger<BenchCommand>();
        var qdqNodes = OnnxGraphInspector.CountQuantizeNodes(settings.ModelPath);
        PrecisionPolicy.Validate(settings.Precision, settings.Providers, qdqNodes, settings.ModelPath);
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings
            {
                ModelPath = settings.ModelPath,
                Providers = settings.Providers,
                IntraOpThreads = settings.Threads,
                TensorRt = settings.TensorRt,
            },
            _loggerFactory.CreateLogger<SegmentationSession>());

        var effective = PrecisionPolicy.Effective(settings.Precision, session.Provider, qdqNodes);
        if (effective != settings.Precision)
        {
            logger.LogWarning(
                "Precision {Requested} was requested but {Provider} runs {Effective} for {Model}; the report says so",
                BenchMarkdown.Name(settings.Precision),
                session.Provider,
                BenchMarkdown.Name(effective),
                settings.ModelPath);
        }

        if (PrecisionPolicy.Warning(settings.Precision, session.Provider, qdqNodes) is { } warning)
        {
            logger.LogWarning("{Model}: {Warning}", settings.ModelPath, warning);
        }

        var (frame, inputSource) = settings.ImagePath is { } path ? (LoadFrame(path), path) : (PatternFrame(PatternWidth, PatternHeight), "pattern");
        using var frameScope = frame;
        using var preprocessor = new CameraPreprocessor(session.InputHeight, session.InputWidth);
        var scorer = new BenchMaxLogitScorer();
        var scores = new float[session.InputHeight * session.InputWidth];

        for (var i = 0; i < settings.Warmup; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            preprocessor.Process(frame, session.InputBuffer);
            session.Run();
            ScoreFrame(session, scorer, scores);
        }

        var preprocess = new double[settings.Iterations];
        var inference = new double[settings.Iterations];
        var score = new double[settings.Iterations];
        var total = new double[settings.Iterations];
        for (var i = 0; i < settings.Iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t0 = Stopwatch.GetTimestamp();
            preprocessor.Process(frame, session.InputBuffer);
            var t1 = Stopwatch.GetTimestamp();
            session.Run();
            var t2 = Stopwatch.GetTimestamp();
            ScoreFrame(session, scorer, scores);
            var t3 = Stopwatch.GetTimestamp();
            preprocess[i] = Milliseconds(t0, t1);
            inference[i] = Milliseconds(t1, t2);
            score[i] = Milliseconds(t2, t3);
            total[i] = Milliseconds(t0, t3);
        }

        var stats = LatencyStatistics.FromSamples(inference);
        var breakdown = new BenchBreakdown
        {
            PreprocessDescription = $"{frame.Width}x{frame.Height} -> {session.InputWidth}x{session.InputHeight} (CameraPreprocessor: OpenCV resize + CHW/255)",
            ScoreMethod = session.HasHeads ? "heads (score in the graph; copied)" : scorer.Name,
            Preprocess = LatencyStatistics.FromSamples(preprocess),
            Inference = stats,
            Score = LatencyStatistics.FromSamples(score),
            Total = LatencyStatistics.FromSamples(total),
        };
        var memory = PeakMemory.Current();
        logger.LogInformation(
            "Benchmarked {Model} on {Provider} ({Precision}): inference p50 {P50:F3} ms, frame total p50 {Total:F3} ms over {Iterations} runs, peak RSS {PeakRss:F0} MB",
            settings.ModelPath,
            session.Provider,
            BenchMarkdown.Name(effective),
            stats.P50Ms,
            breakdown.Total.P50Ms,
            stats.Count,
            memory.PeakRssMb);
        return new BenchReport
        {
            Model = settings.ModelPath,
            Provider = session.Provider,
            Input = session.InputShape,
            Output = session.OutputShape,
            InputSource = inputSource,
            Precision = settings.Precision,
            PrecisionEffective = effective,
            QdqNodes = qdqNodes,
            EngineCache = session.Provider == TensorRtExecutionProvider.ProviderName ? settings.EngineCacheDirectory : null,
            Iterations = settings.Iterations,
            Warmup = settings.Warmup,
            P50Ms = stats.P50Ms,
            P95Ms = stats.P95Ms,
            P99Ms = stats.P99Ms,
            MeanMs = stats.MeanMs,
            MinMs = stats.MinMs,
            MaxMs = stats.MaxMs,
            Fps = stats.Fps,
            Threads = session.IntraOpThreads,
            EndToEndFps = breakdown.Total.Fps,
            Breakdown = breakdown,
            PeakRssMb = memory.PeakRssMb,
            PeakRssSource = memory.Source,
            Machine = MachineInfo.Current(),
            Timestamp = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// A deterministic camera-sized BGR frame (CV_8UC3): byte i = (i · 7919) mod 256 (the same sequence as <see cref="FillPattern"/>).
    /// </summary>
    public static Mat PatternFrame(int width, int height)
    {
        var frame = new Mat(height, width, MatType.CV_8UC3);
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7919L) % 256);
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, frame.Data, pixels.Length);
        return frame;
    }

    /// <summary>Decodes <paramref name="path"/> into a BGR frame, as a camera delivers it.</summary>
    /// <exception cref="InvalidDataException">OpenCV cannot decode the file.</exception>
    private static Mat LoadFrame(string path)
    {
        var frame = Cv2.ImRead(path, ImreadModes.Color);
        if (frame.Empty())
        {
            frame.Dispose();
            throw new InvalidDataException($"Cannot decode image file '{path}': not a readable png/jpg/webp image (OpenCV returned an empty image).");
        }

        return frame;
    }

    /// <summary>A deterministic input in [0, 1]: ((i · 7919) mod 256) / 255.</summary>
    public static void FillPattern(Span<float> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (int)((i * 7919L) % 256) / 255f;
        }
    }

    private void Print(BenchReport report)
    {
        var facts = BenchMarkdown.Facts(report);
        var stages = BenchMarkdown.Stages(report.Breakdown);
        if (_richOutput)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output) });
            var factTable = new Table().AddColumn("run").AddColumn("value");
            foreach (var (name, value) in facts)
            {
                factTable.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            var stageTable = new Table().AddColumn("stage");
            foreach (var column in StageColumns)
            {
                stageTable.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (var (name, stats) in stages)
            {
                stageTable.AddRow([name, .. StageValues(stats)]);
            }

            console.Write(factTable);
            console.Write(stageTable);
            return;
        }

        foreach (var (name, value) in facts)
        {
            _output.WriteLine($"{name}: {value}");
        }

        // Inference percentiles keep their historical plain-text lines ("p50 ms: ...").
        _output.WriteLine($"p50 ms: {Ms(report.P50Ms)}");
        _output.WriteLine($"p95 ms: {Ms(report.P95Ms)}");
        _output.WriteLine($"p99 ms: {Ms(report.P99Ms)}");
        _output.WriteLine($"stage: {string.Join(" | ", StageColumns)}");
        foreach (var (name, stats) in stages)
        {
            _output.WriteLine($"{name}: {string.Join(" | ", StageValues(stats))}");
        }
    }

    /// <summary>Raw timestamp ticks to ms (no rounding to TimeSpan's 100 ns, so the stages add up to the total).</summary>
    /// <summary>The CPU score of a plain model; a model with heads scored in the graph, so only its map is copied out.</summary>
    private static void ScoreFrame(SegmentationSession session, BenchMaxLogitScorer scorer, float[] scores)
    {
        if (session.HasHeads)
        {
            session.Scores.CopyTo(scores);
        }
        else
        {
            scorer.Score(session.Logits, session.ClassCount, scores);
        }
    }

    private static double Milliseconds(long start, long end) => (end - start) * 1000.0 / Stopwatch.Frequency;

    private static string[] StageValues(LatencyStatistics stats) => [Ms(stats.P50Ms), Ms(stats.P95Ms), Ms(stats.P99Ms), Ms(stats.MeanMs)];

    private static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
