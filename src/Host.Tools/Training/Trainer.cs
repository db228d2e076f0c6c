using System.Diagnostics;
using Host.Tools.Metrics;
using Host.Tools.Models;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Host.Tools.Training;

/// <summary>
/// The training loop shared by <c>train</c>, <c>finetune-void</c> and <c>distill</c>: Adam (lr, weight decay), the
/// poly schedule per epoch, seeded shuffling / augmentation / dropout per epoch (so a resumed run continues exactly as an
/// uninterrupted one), validation (loss, mIoU) after every epoch, a checkpoint every epoch and the best one, CSV + PNG log.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingSettings _settings;
    private readonly SegmentationNetwork _network;
    private readonly ITrainingObjective _objective;
    private readonly TrainingDataset _train;
    private readonly TrainingDataset? _validation;
    private readonly ILogger _logger;

    public Trainer(TrainingSettings settings, SegmentationNetwork network, ITrainingObjective objective, TrainingDataset train,
        TrainingDataset? validation, ILogger logger)
    {
        settings.Validate();
        if (settings.InputHeight % network.SizeMultiple != 0 || settings.InputWidth % network.SizeMultiple != 0)
        {
            throw new ArgumentException(
                $"--input: {network.Architecture} needs height and width multiples of {network.SizeMultiple}, got {settings.InputHeight}x{settings.InputWidth}.");
        }

        if (objective.RequiresLabels && !train.IsLabelled)
        {
            throw new ArgumentException($"{objective.Name} needs labels but dataset '{train.Name}' has unlabelled images.");
        }

        _settings = settings;
        _network = network;
        _objective = objective;
        _train = train;
        _validation = validation;
        _logger = logger;
    }

    public TrainingResult Run(ITrainingProgress progress, CancellationToken cancellationToken = default)
    {
        var s = _settings;
        Directory.CreateDirectory(s.OutputDirectory);
        var trainable = SelectTrainable();
        using var optimizer = optim.Adam(trainable, s.LearningRate, weight_decay: s.WeightDecay);
        var schedule = new PolySchedule(s.LearningRate, s.Epochs);
        var history = new List<EpochRecord>();
        var startEpoch = 1;
        long step = 0;
        var bestEpoch = 0;
        var bestScore = double.NegativeInfinity;
        string? lastCheckpoint = null;
        if (s.ResumeFrom is not null)
        {
            var info = CheckpointInfo.Load(s.ResumeFrom);
            if (!string.Equals(info.Architecture, _network.Architecture, StringComparison.OrdinalIgnoreCase) || info.NumClasses != _network.NumClasses)
            {
                throw new ArgumentException(
                    $"--resume: checkpoint is {info.Architecture} with {info.NumClasses} classes, the run trains {_network.Architecture} with {_network.NumClasses}.");
            }

            _network.load(info.Weights);
            optimizer.load_state_dict(info.OptimizerState);
            startEpoch = info.Epoch + 1;
            step = info.Step;
            bestEpoch = info.BestEpoch;
            bestScore = info.BestScore;
            history.AddRange(info.History);
            lastCheckpoint = s.ResumeFrom;
            var bestSource = Path.Combine(Path.GetDirectoryName(info.Weights)!, "best.weights");
            var bestTarget = Path.Combine(s.OutputDirectory, "best.weights");
            if (File.Exists(bestSource) && !string.Equals(Path.GetFullPath(bestSource), Path.GetFullPath(bestTarget), StringComparison.Ordinal))
            {
                File.Copy(bestSource, bestTarget, overwrite: true); // resuming into another folder keeps the best so far
            }

            _logger.LogInformation("resumed from epoch {Epoch} (step {Step}): weights, BatchNorm statistics, Adam state, log", info.Epoch, info.Step);
        }

        var loader = new SampleLoader(s.InputHeight, s.InputWidth, s.Augmentation);
        var batchSize = Math.Min(s.BatchSize, _train.Samples.Count);
        var stepsPerEpoch = _train.Samples.Count / batchSize; // the last incomplete batch is dropped (BatchNorm needs > 1 value)
        if (s.MaxStepsPerEpoch is { } maxSteps)
        {
            stepsPerEpoch = Math.Min(stepsPerEpoch, maxSteps);
        }

        var clock = Stopwatch.StartNew();
        var budget = s.MaxMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : TimeSpan.MaxValue;
        var epochsThisRun = 0;
        var outOfTime = false;
        for (var epoch = startEpoch; epoch <= s.Epochs && !outOfTime; epoch++)
        {
            if (s.StopAfterEpochs is { } stopAfter && epochsThisRun >= stopAfter)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var epochClock = Stopwatch.StartNew();
            var lr = schedule.LearningRate(epoch);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            torch.random.manual_seed(((long)s.Seed * 1_000_003) + epoch);
            var random = new Random(unchecked((s.Seed * 7919) + epoch));
            var order = Enumerable.Range(0, _train.Samples.Count).ToArray();
            random.Shuffle(order);
            if (s.TrainLastLayerOnly)
            {
                _network.eval();
            }
            else
            {
                _network.train();
            }

            progress.EpochStarted(epoch, s.Epochs, stepsPerEpoch);
            double lossSum = 0;
            var steps = 0;
            for (var b = 0; b < stepsPerEpoch; b++)
            {
                if (steps > 0 && clock.Elapsed >= budget)
                {
                    outOfTime = true;
                    _logger.LogWarning("time budget of {Minutes} min reached in epoch {Epoch} after {Steps} steps", s.MaxMinutes, epoch, steps);
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (images, labels) = LoadBatch(loader, _train, order.AsSpan(b * batchSize, batchSize), random);
                var logits = _network.call(Normalize(images));
                var loss = _objective.Loss(logits, images, labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                var value = loss.item<float>();
                if (!float.IsFinite(value))
                {
                    throw new InvalidOperationException($"Training diverged: loss {value} at epoch {epoch}, step {b + 1}; lower --lr.");
                }

                lossSum += value;
                steps++;
                step++;
                progress.StepDone(epoch, steps, stepsPerEpoch, lossSum / steps);
            }

            var (valLoss, valMiou) = Validate(loader, progress, epoch);
            var record = new EpochRecord
            {
                Epoch = epoch,
                LearningRate = lr,
                TrainLoss = lossSum / Math.Max(1, steps),
                ValLoss = valLoss,
                ValMiou = valMiou,
                Seconds = epochClock.Elapsed.TotalSeconds,
                Steps = steps,
                Complete = steps == stepsPerEpoch,
            };
            history.Add(record);
            var (metric, score) = Score(record);
            if (score > bestScore || bestEpoch == 0)
            {
                bestScore = score;
                bestEpoch = epoch;
                _network.save(Path.Combine(s.OutputDirectory, "best.weights"));
            }

            lastCheckpoint = SaveCheckpoint(optimizer, epoch, step, bestEpoch, bestScore, metric, history);
            TrainingReportWriter.Write(s.OutputDirectory, $"{_network.Architecture} on {_train.Name}", history);
            progress.EpochFinished(record);
            epochsThisRun++;
        }

        if (lastCheckpoint is null)
        {
            throw new InvalidOperationException($"No epoch was trained (start epoch {startEpoch}, --epochs {s.Epochs}).");
        }

        return new TrainingResult
        {
            History = history,
            BestEpoch = bestEpoch,
            BestScore = bestScore,
            BestMetric = history.Count > 0 ? Score(history[^1]).Metric : "val_miou",
            BestWeights = Path.Combine(s.OutputDirectory, "best.weights"),
            LastCheckpoint = lastCheckpoint,
            Steps = step,
        };
    }

    /// <summary>The parameters the optimizer updates; with <see cref="TrainingSettings.TrainLastLayerOnly"/> the rest are frozen.</summary>
    private List<Parameter> SelectTrainable()
    {
        var named = _network.named_parameters().ToList();
        if (!_settings.TrainLastLayerOnly)
        {
            return [.. named.Select(p => p.parameter)];
        }

        var lastName = named[^1].name;
        var prefix = lastName[..(lastName.LastIndexOf('.') + 1)];
        var trainable = new List<Parameter>();
        foreach (var (name, parameter) in named)
        {
            var train = name.StartsWith(prefix, StringComparison.Ordinal);
            parameter.requires_grad = train;
            if (train)
            {
                trainable.Add(parameter);
            }
        }

        _logger.LogInformation("training only {Layer}* ({Count} parameters); every other layer frozen", prefix, trainable.Sum(p => p.numel()));
        return trainable;
    }

    /// <summary>The network's input: the [0,1] batch, standardised when the settings say so (the objective keeps the raw batch).</summary>
    private Tensor Normalize(Tensor images)
    {
        if (_settings.InputNormalization is not { } n)
        {
            return images;
        }

        using var mean = tensor(n.Mean.ToArray(), [1, 3, 1, 1]);
        using var std = tensor(n.Std.ToArray(), [1, 3, 1, 1]);
        return (images - mean) / std;
    }

    private (Tensor Images, Tensor? Labels) LoadBatch(SampleLoader loader, TrainingDataset dataset, ReadOnlySpan<int> indices, Random? random)
    {
        int h = _settings.InputHeight, w = _settings.InputWidth, n = indices.Length;
        var images = new float[n * 3 * h * w];
        var labelled = dataset.IsLabelled;
        var labels = labelled ? new long[n * h * w] : [];
        for (var i = 0; i < n; i++)
        {
            loader.Load(dataset.Samples[indices[i]], dataset.LabelMap, random, images.AsSpan(i * 3 * h * w, 3 * h * w),
                labelled ? labels.AsSpan(i * h * w, h * w) : Span<long>.Empty);
        }

        return (tensor(images, [n, 3, h, w]), labelled ? tensor(labels, [n, h, w]) : null);
    }

    private (double? Loss, double? Miou) Validate(SampleLoader loader, ITrainingProgress progress, int epoch)
    {
        if (_validation is null)
        {
            return (null, null);
        }

        var count = Math.Min(_validation.Samples.Count, _settings.MaxValidationImages ?? int.MaxValue);
        progress.Validating(epoch, count);
        _network.eval();
        using var _ = no_grad();
        var confusion = _validation.IsLabelled ? new ConfusionMatrix(_validation.NumClasses, _network.NumClasses) : null;
        double lossSum = 0;
        var batches = 0;
        var batch = Math.Max(1, _settings.BatchSize);
        var pixels = _settings.InputHeight * _settings.InputWidth;
        var prediction = new byte[pixels];
        var truth = new byte[pixels];
        for (var start = 0; start < count; start += batch)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(batch, count - start)).ToArray();
            var (images, labels) = LoadBatch(loader, _validation, indices, null);
            var logits = _network.call(Normalize(images));
            lossSum += _objective.Loss(logits, images, labels).item<float>();
            batches++;
            if (confusion is not null && labels is not null)
            {
                var predicted = logits.argmax(1).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
                var truthAll = labels.to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
                for (var i = 0; i < indices.Length; i++)
                {
                    predicted.AsSpan(i * pixels, pixels).CopyTo(prediction);
                    truthAll.AsSpan(i * pixels, pixels).CopyTo(truth);
                    confusion.Add(truth, prediction);
                }
            }
        }

        return (lossSum / Math.Max(1, batches), confusion?.MeanIoU());
    }

    private static (string Metric, double Score) Score(EpochRecord record) =>
        record.ValMiou is { } miou && double.IsFinite(miou) ? ("val_miou", miou)
        : record.ValLoss is { } loss ? ("-val_loss", -loss)
        : ("-train_loss", -record.TrainLoss);

    private string SaveCheckpoint(OptimizerHelper optimizer, int epoch, long step, int bestEpoch, double bestScore, string metric,
        IReadOnlyList<EpochRecord> history)
    {
        var dir = _settings.OutputDirectory;
        var stem = Path.Combine(dir, $"epoch-{epoch:D3}");
        var weights = stem + ".weights";
        var optimizerState = stem + ".optim";
        _network.save(weights);
        optimizer.save_state_dict(optimizerState);
        var info = new CheckpointInfo
        {
            Architecture = _network.Architecture,
            NumClasses = _network.NumClasses,
            Classes = _train.Classes,
            Epoch = epoch,
            Step = step,
            TotalEpochs = _settings.Epochs,
            Weights = weights,
            OptimizerState = optimizerState,
            BestEpoch = bestEpoch,
            BestScore = bestScore,
            BestMetric = metric,
            History = [.. history],
            Created = DateTimeOffset.UtcNow,
        };
        var json = stem + ".json";
        info.Save(json);
        return json;
    }
}
