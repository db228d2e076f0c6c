using Edge.Runtime.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Runtime.Inference;

/// <summary>
/// An ONNX Runtime session for a segmentation network with one float input <c>image</c> [1,3,H,W] and either one output
/// <c>logits</c> [1,C,H,W] or, for a model with heads, <c>score</c> float32 [1,1,H,W] + <c>road</c> uint8 [1,1,H,W]
/// (+ optional <c>labels</c> uint8). Inputs and outputs live in pinned arrays allocated once, bound to
/// <see cref="OrtValue"/>s once; <see cref="Run"/> writes the outputs in place. Not thread-safe: one caller runs it at a time.
/// </summary>
public sealed class SegmentationSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly byte[] _road;
    private readonly byte[] _labels;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private bool _disposed;

    private SegmentationSession(InferenceSession session, string modelPath, string provider, int threads, string inputName, Signature signature)
    {
        _session = session;
        ModelPath = modelPath;
        Provider = provider;
        IntraOpThreads = threads;
        InputShape = signature.Input;
        OutputShape = signature.Output;
        HasHeads = signature.Heads;
        _runOptions = new RunOptions();
        _input = GC.AllocateArray<float>(signature.Input.Aggregate(1, (a, b) => checked(a * b)), pinned: true);
        _output = GC.AllocateArray<float>(signature.Output.Aggregate(1, (a, b) => checked(a * b)), pinned: true);
        var planeShape = new long[] { 1, 1, signature.Input[2], signature.Input[3] };
        _road = signature.Heads ? GC.AllocateArray<byte>(signature.Input[2] * signature.Input[3], pinned: true) : [];
        _labels = signature.HasLabels ? GC.AllocateArray<byte>(signature.Input[2] * signature.Input[3], pinned: true) : [];
        _inputNames = [inputName];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(), [.. signature.Input.Select(d => (long)d)])];
        _outputNames = [.. signature.OutputNames];
        var outputValues = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(), [.. signature.Output.Select(d => (long)d)]),
        };
        if (signature.Heads)
        {
            outputValues.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _road.AsMemory(), planeShape));
        }

        if (signature.HasLabels)
        {
            outputValues.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _labels.AsMemory(), planeShape));
        }

        _outputValues = [.. outputValues];
    }

    public string ModelPath { get; }

    /// <summary>The provider really in use (the first of the chain that loaded): <c>tensorrt</c>, <c>cuda</c> or <c>cpu</c>.</summary>
    public string Provider { get; }

    public int IntraOpThreads { get; }

    /// <summary>[1, 3, H, W].</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>[1, C, H, W] (the logits); [1, 1, H, W] (the score) for a model with heads.</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The model computes its score and road mask in the graph (outputs <c>score</c>, <c>road</c>, optionally
    /// <c>labels</c>; card field <c>heads</c>) instead of handing out the logits.</summary>
    public bool HasHeads { get; }

    /// <summary>A heads model also outputs the argmax labels.</summary>
    public bool HasLabels => _labels.Length > 0;

    public int InputHeight => InputShape[2];

    public int InputWidth => InputShape[3];

    public int ClassCount => OutputShape[1];

    /// <summary>
    /// Checks that the network outputs as many classes as its model card lists: scores such as VoidClass index into the
    /// card's classes, and a mismatch means the card belongs to another network.
    /// </summary>
    /// <exception cref="ModelLoadException">The counts differ (message names the card, its <c>classes</c> field and both counts).</exception>
    public void EnsureMatches(Models.ModelCard card, string cardPath)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (HasHeads)
        {
            // A heads model hands out one score plane and the road mask, no class channels: its card must say so.
            if (card.Heads is null)
            {
                throw new ModelLoadException(ModelPath, $"Model card '{cardPath}': field heads is missing, but the model '{ModelPath}' has heads (outputs score, road). The card belongs to the plain network: export the heads model and its card together (make models).");
            }

            return;
        }

        if (card.Classes.Count != ClassCount)
        {
            throw new ModelLoadException(ModelPath, $"Model card '{cardPath}': field classes lists {card.Classes.Count} classes, but the model '{ModelPath}' outputs {ClassCount} channels (output shape [{string.Join(", ", OutputShape)}]). The card belongs to another network: export the model and its card together (make models).");
        }
    }

    /// <summary>The input tensor (CHW float32, batch 1); fill it before <see cref="Run"/>.</summary>
    public Span<float> InputBuffer => _input;

    public Memory<float> InputMemory => _input;

    /// <summary>The logits written by the last <see cref="Run"/>, [C, H, W] C-order.</summary>
    /// <exception cref="InvalidOperationException">The model has heads: its logits stay inside the graph.</exception>
    public ReadOnlySpan<float> Logits => LogitsMemory.Span;

    public ReadOnlyMemory<float> LogitsMemory => HasHeads
        ? throw new InvalidOperationException($"Model '{ModelPath}' has heads (outputs score, road): it hands out no logits; use Scores / RoadMask, or the plain model.")
        : _output;

    /// <summary>The heads' anomaly scores written by the last <see cref="Run"/>, [H, W] row-major, higher = more anomalous.</summary>
    /// <exception cref="InvalidOperationException">The model is plain (output <c>logits</c>).</exception>
    public ReadOnlySpan<float> Scores => HasHeads ? _output : throw NoHeads();

    /// <summary>The heads' road mask, [H, W]: 1 where the argmax class (first maximum) is the road class, else 0.</summary>
    public ReadOnlySpan<byte> RoadMask => HasHeads ? _road : throw NoHeads();

    /// <summary>The heads' argmax labels, [H, W] (first maximum); empty when the model does not output them.</summary>
    public ReadOnlySpan<byte> Labels => HasHeads ? _labels : throw NoHeads();

    /// <summary>Opens the model with the first provider of the chain that loads; CPU is the last resort.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <param name="settings">Model file and how ONNX Runtime runs it.</param>
    /// <param name="logger">Provider choice and fallbacks.</param>
    /// <param name="card">The model card the caller already loaded (its input size fixes the engine's shape); null = read the card beside the model if there is one.</param>
    /// <exception cref="ModelLoadException">The file is not a loadable ONNX model or its inputs/outputs are not as expected.</exception>
    public static SegmentationSession Create(SegmentationSessionSettings settings, ILogger logger, ModelCard? card = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        settings.Validate();
        var modelPath = Path.GetFullPath(settings.ModelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: '{settings.ModelPath}'.", settings.ModelPath);
        }

        var inputShape = card is null ? KnownInputShape(modelPath, logger) : [1, card.Input.Channels, card.Input.Height, card.Input.Width];
        var context = new ExecutionProviderContext(modelPath, settings.InputName, inputShape);
        var chain = ExecutionProviderChain.Create(settings.Providers, settings.TensorRt, settings.CudaDeviceId);
        var threads = settings.EffectiveIntraOpThreads;

        for (var i = 0; i < chain.Count; i++)
        {
            var primary = chain[i];
            using var options = CreateOptions(threads);
            options.EnableCpuMemArena = settings.CpuMemoryArena;
            options.EnableMemoryPattern = settings.MemoryPattern;
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            if (!primary.TryAppend(options, context, logger))
            {
                continue;
            }

            // Later providers stay registered as ONNX Runtime's per-node fallbacks (e.g. TensorRT → CUDA → CPU).
            for (var j = i + 1; j < chain.Count; j++)
            {
                chain[j].TryAppend(options, context, NullLogger.Instance);
            }

            InferenceSession session;
            try
            {
                session = new InferenceSession(modelPath, options);
            }
            catch (OnnxRuntimeException ex) when (primary is not CpuExecutionProvider)
            {
                logger.LogWarning(ex, "Execution provider {Provider} could not create a session for {Model}: {Reason}; trying the next one", primary.Name, modelPath, ex.Message);
                continue;
            }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelLoadException(modelPath, $"Cannot load ONNX model '{modelPath}': {ex.Message}", ex);
            }

            try
            {
                var signature = ValidateSignature(session, modelPath, settings.InputName, settings.OutputName);
                var result = new SegmentationSession(session, modelPath, primary.Name, threads, settings.InputName, signature);
                logger.LogInformation(
                    "Model {Model} runs on {Provider} ({Threads} intra-op threads): input {InputShape}, outputs {Outputs} {OutputShape}",
                    Path.GetFileName(modelPath),
                    primary.Name,
                    threads,
                    string.Join('x', signature.Input),
                    string.Join(", ", signature.OutputNames),
                    string.Join('x', signature.Output));
                return result;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        throw new ModelLoadException(modelPath, $"No execution provider could load '{modelPath}' (tried {string.Join(", ", chain.Select(p => p.Name))}).");
    }

    /// <summary>Runs the network on <see cref="InputBuffer"/>, writing <see cref="Logits"/>.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
    }

    /// <summary>
    /// Runs the network once on a zero input before the first camera frame and returns how long that took (ms). An
    /// execution provider's first run allocates its buffers (and TensorRT loads or builds its engine): without this the
    /// first frame's alert would carry that cost (~1 s for ENet on ONNX Runtime CPU here, against ~0.2 s a frame).
    /// </summary>
    public double WarmUp()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _input.AsSpan().Clear();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        Run();
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var value in _inputValues.Concat(_outputValues))
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    private static SessionOptions CreateOptions(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = threads,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };

    private static int[]? KnownInputShape(string modelPath, ILogger logger)
    {
        var cardPath = ModelCard.PathFor(modelPath);
        if (!File.Exists(cardPath))
        {
            return null;
        }

        try
        {
            var card = ModelCard.Load(cardPath);
            return [1, card.Input.Channels, card.Input.Height, card.Input.Width];
        }
        catch (InvalidDataException ex)
        {
            logger.LogWarning("Ignoring model card {Card}: {Reason}", cardPath, ex.Message);
            return null;
        }
    }

    private static Signature ValidateSignature(InferenceSession session, string modelPath, string inputName, string outputName)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(inputName, out var input))
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': expected exactly one input '{inputName}', got [{string.Join(", ", inputs.Keys)}].");
        }

        var inputShape = CheckTensor(modelPath, "input", inputName, input, TensorElementType.Float);
        if (inputShape[0] is not (1 or -1) || inputShape[1] != 3 || inputShape[2] < 1 || inputShape[3] < 1)
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': input '{inputName}' expected shape [1, 3, H, W] with fixed H, W, got [{string.Join(", ", inputShape)}].");
        }

        inputShape[0] = 1;
        var outputs = session.OutputMetadata;
        if (!outputs.TryGetValue(outputName, out var output))
        {
            if (outputs.ContainsKey(ModelHeads.ScoreOutput) && outputs.ContainsKey(ModelHeads.RoadOutput))
            {
                return HeadsSignature(modelPath, outputs, inputShape);
            }

            throw new ModelLoadException(modelPath, $"Model '{modelPath}': expected an output '{outputName}' (or the heads '{ModelHeads.ScoreOutput}' and '{ModelHeads.RoadOutput}'), got [{string.Join(", ", outputs.Keys)}].");
        }

        var outputShape = CheckTensor(modelPath, "output", outputName, output, TensorElementType.Float);
        if (outputShape[0] is not (1 or -1)
            || outputShape[1] < 1
            || outputShape[2] is not -1 && outputShape[2] != inputShape[2]
            || outputShape[3] is not -1 && outputShape[3] != inputShape[3])
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': output '{outputName}' expected shape [1, C, {inputShape[2]}, {inputShape[3]}], got [{string.Join(", ", outputShape)}].");
        }

        return new Signature(inputShape, [1, outputShape[1], inputShape[2], inputShape[3]], [outputName], Heads: false, HasLabels: false);
    }

    private static Signature HeadsSignature(string modelPath, IReadOnlyDictionary<string, NodeMetadata> outputs, int[] inputShape)
    {
        var names = new List<string> { ModelHeads.ScoreOutput, ModelHeads.RoadOutput };
        var hasLabels = outputs.ContainsKey(ModelHeads.LabelsOutput);
        if (hasLabels)
        {
            names.Add(ModelHeads.LabelsOutput);
        }

        foreach (var name in names)
        {
            var type = name == ModelHeads.ScoreOutput ? TensorElementType.Float : TensorElementType.UInt8;
            var shape = CheckTensor(modelPath, "output", name, outputs[name], type);
            if (shape[0] is not (1 or -1) || shape[1] != 1
                || shape[2] is not -1 && shape[2] != inputShape[2]
                || shape[3] is not -1 && shape[3] != inputShape[3])
            {
                throw new ModelLoadException(modelPath, $"Model '{modelPath}': heads output '{name}' expected shape [1, 1, {inputShape[2]}, {inputShape[3]}], got [{string.Join(", ", shape)}].");
            }
        }

        return new Signature(inputShape, [1, 1, inputShape[2], inputShape[3]], names, Heads: true, hasLabels);
    }

    private static InvalidOperationException NoHeads() =>
        new("The model is plain (output logits): it has no heads; score the logits on the CPU.");

    private static int[] CheckTensor(string modelPath, string role, string name, NodeMetadata metadata, TensorElementType type)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != type)
        {
            var expected = type == TensorElementType.Float ? "float32" : type.ToString().ToLowerInvariant();
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': {role} '{name}' expected a {expected} tensor, got {metadata.OnnxValueType} of {metadata.ElementDataType}.");
        }

        var dims = metadata.Dimensions;
        if (dims.Length != 4)
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': {role} '{name}' expected rank 4 (N, C, H, W), got rank {dims.Length} [{string.Join(", ", dims)}].");
        }

        return [.. dims];
    }

    private sealed record Signature(int[] Input, int[] Output, IReadOnlyList<string> OutputNames, bool Heads, bool HasLabels);
}
