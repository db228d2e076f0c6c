using Edge.Runtime.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Runtime.Inference;

/// <summary>
/// An ONNX Runtime session for a segmentation network with one float input <c>image</c> [1,3,H,W] and one output
/// <c>logits</c> [1,C,H,W]. Input and output live in pinned arrays allocated once, bound to <see cref="OrtValue"/>s
/// once; <see cref="Run"/> writes the logits in place. Not thread-safe: one caller runs it at a time.
/// </summary>
public sealed class SegmentationSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private bool _disposed;

    private SegmentationSession(InferenceSession session, string modelPath, string provider, int threads, string inputName, string outputName, int[] inputShape, int[] outputShape)
    {
        _session = session;
        ModelPath = modelPath;
        Provider = provider;
        IntraOpThreads = threads;
        InputShape = inputShape;
        OutputShape = outputShape;
        _runOptions = new RunOptions();
        _input = GC.AllocateArray<float>(inputShape.Aggregate(1, (a, b) => checked(a * b)), pinned: true);
        _output = GC.AllocateArray<float>(outputShape.Aggregate(1, (a, b) => checked(a * b)), pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(), [.. inputShape.Select(d => (long)d)]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(), [.. outputShape.Select(d => (long)d)]);
        _inputNames = [inputName];
        _outputNames = [outputName];
        _inputValues = [_inputValue];
        _outputValues = [_outputValue];
    }

    public string ModelPath { get; }

    /// <summary>The provider really in use (the first of the chain that loaded): <c>tensorrt</c>, <c>cuda</c> or <c>cpu</c>.</summary>
    public string Provider { get; }

    public int IntraOpThreads { get; }

    /// <summary>[1, 3, H, W].</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>[1, C, H, W].</summary>
    public IReadOnlyList<int> OutputShape { get; }

    public int InputHeight => InputShape[2];

    public int InputWidth => InputShape[3];

    public int ClassCount => OutputShape[1];

    /// <summary>The input tensor (CHW float32, batch 1); fill it before <see cref="Run"/>.</summary>
    public Span<float> InputBuffer => _input;

    public Memory<float> InputMemory => _input;

    /// <summary>The logits written by the last <see cref="Run"/>, [C, H, W] C-order.</summary>
    public ReadOnlySpan<float> Logits => _output;

    public ReadOnlyMemory<float> LogitsMemory => _output;

    /// <summary>Opens the model with the first provider of the chain that loads; CPU is the last resort.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="ModelLoadException">The file is not a loadable ONNX model or its inputs/outputs are not as expected.</exception>
    public static SegmentationSession Create(SegmentationSessionSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        settings.Validate();
        var modelPath = Path.GetFullPath(settings.ModelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found: '{settings.ModelPath}'.", settings.ModelPath);
        }

        var context = new ExecutionProviderContext(modelPath, settings.InputName, KnownInputShape(modelPath, logger));
        var chain = ExecutionProviderChain.Create(settings.Providers, settings.TensorRt, settings.CudaDeviceId);
        var threads = settings.EffectiveIntraOpThreads;

        for (var i = 0; i < chain.Count; i++)
        {
            var primary = chain[i];
            using var options = CreateOptions(threads);
            options.EnableCpuMemArena = settings.CpuMemoryArena;
            options.EnableMemoryPattern = settings.MemoryPattern;
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
                var (inputShape, outputShape) = ValidateSignature(session, modelPath, settings.InputName, settings.OutputName);
                var result = new SegmentationSession(session, modelPath, primary.Name, threads, settings.InputName, settings.OutputName, inputShape, outputShape);
                logger.LogInformation(
                    "Model {Model} runs on {Provider} ({Threads} intra-op threads): input {InputShape}, output {OutputShape}",
                    Path.GetFileName(modelPath),
                    primary.Name,
                    threads,
                    string.Join('x', inputShape),
                    string.Join('x', outputShape));
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _inputValue.Dispose();
        _outputValue.Dispose();
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

    private static (int[] Input, int[] Output) ValidateSignature(InferenceSession session, string modelPath, string inputName, string outputName)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(inputName, out var input))
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': expected exactly one input '{inputName}', got [{string.Join(", ", inputs.Keys)}].");
        }

        var inputShape = CheckTensor(modelPath, "input", inputName, input);
        if (inputShape[0] is not (1 or -1) || inputShape[1] != 3 || inputShape[2] < 1 || inputShape[3] < 1)
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': input '{inputName}' expected shape [1, 3, H, W] with fixed H, W, got [{string.Join(", ", inputShape)}].");
        }

        inputShape[0] = 1;
        var outputs = session.OutputMetadata;
        if (!outputs.TryGetValue(outputName, out var output))
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': expected an output '{outputName}', got [{string.Join(", ", outputs.Keys)}].");
        }

        var outputShape = CheckTensor(modelPath, "output", outputName, output);
        if (outputShape[0] is not (1 or -1)
            || outputShape[1] < 1
            || outputShape[2] is not -1 && outputShape[2] != inputShape[2]
            || outputShape[3] is not -1 && outputShape[3] != inputShape[3])
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': output '{outputName}' expected shape [1, C, {inputShape[2]}, {inputShape[3]}], got [{string.Join(", ", outputShape)}].");
        }

        return (inputShape, [1, outputShape[1], inputShape[2], inputShape[3]]);
    }

    private static int[] CheckTensor(string modelPath, string role, string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor || metadata.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': {role} '{name}' expected a float32 tensor, got {metadata.OnnxValueType} of {metadata.ElementDataType}.");
        }

        var dims = metadata.Dimensions;
        if (dims.Length != 4)
        {
            throw new ModelLoadException(modelPath, $"Model '{modelPath}': {role} '{name}' expected rank 4 (N, C, H, W), got rank {dims.Length} [{string.Join(", ", dims)}].");
        }

        return [.. dims];
    }
}
