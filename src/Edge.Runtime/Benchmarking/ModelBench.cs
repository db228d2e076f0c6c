using Edge.Runtime.Commands;
using Edge.Runtime.Inference;
using Edge.Runtime.Preprocessing;
using Edge.Runtime.Scoring;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace Edge.Runtime.Benchmarking;

/// <summary>
/// The measuring half of <c>edgeseg bench</c>: loads the session and times one model frame by frame through
/// <see cref="InferenceTimer.TimeStages"/>, split into preprocessing (<see cref="CameraPreprocessor"/>: resize + CHW of a
/// decoded BGR frame, <c>--image</c> or a deterministic 1280x720 pattern), inference (<see cref="SegmentationSession.Run"/>)
/// and scoring (<see cref="MaxLogitScorer"/>, or the copy of the in-graph score of a model with heads).
/// </summary>
public sealed class ModelBench
{
    /// <summary>Size of the generated frame when no <c>--image</c> is given (a 720p camera).</summary>
    public const int PatternWidth = 1280;

    public const int PatternHeight = 720;

    private readonly ILoggerFactory _loggerFactory;

    public ModelBench(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
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

        var logger = _loggerFactory.CreateLogger<ModelBench>();
        var qdqNodes = OnnxGraphInspector.CountQuantizeNodes(settings.ModelPath);
        PrecisionPolicy.Validate(settings.Precision, settings.Providers, qdqNodes, settings.ModelPath);
        var tuning = settings.SessionTuning ?? new SegmentationSessionSettings();
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings
            {
                ModelPath = settings.ModelPath,
                Providers = settings.Providers,
                IntraOpThreads = settings.Threads,
                TensorRt = settings.TensorRt,
                AllowSpinning = tuning.AllowSpinning,
                MemoryPattern = tuning.MemoryPattern,
                CpuMemoryArena = tuning.CpuMemoryArena,
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
        var scorer = new MaxLogitScorer();
        var scores = new float[session.InputHeight * session.InputWidth];
        var timings = InferenceTimer.TimeStages(
            [() => preprocessor.Process(frame, session.InputBuffer), session.Run, () => ScoreFrame(session, scorer, scores)],
            settings.Warmup,
            settings.Iterations,
            cancellationToken);
        var stats = timings.Stages[1];
        var breakdown = new BenchBreakdown
        {
            PreprocessDescription = $"{frame.Width}x{frame.Height} -> {session.InputWidth}x{session.InputHeight} (CameraPreprocessor: OpenCV resize + CHW/255)",
            ScoreMethod = session.HasHeads ? "heads (score in the graph; copied)" : scorer.Name,
            Preprocess = timings.Stages[0],
            Inference = stats,
            Score = timings.Stages[2],
            Total = timings.Total,
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
            OrtSpinning = tuning.AllowSpinning,
            EndToEndFps = breakdown.Total.Fps,
            Breakdown = breakdown,
            PeakRssMb = memory.PeakRssMb,
            PeakRssSource = memory.Source,
            Machine = MachineInfo.Current(),
            Timestamp = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// A deterministic camera-sized BGR frame (CV_8UC3): byte i = (i · 7919) mod 256.
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

    /// <summary>The CPU score of a plain model; a model with heads scored in the graph, so only its map is copied out.</summary>
    private static void ScoreFrame(SegmentationSession session, MaxLogitScorer scorer, float[] scores)
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
}
