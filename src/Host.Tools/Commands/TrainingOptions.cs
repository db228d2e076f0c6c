using System.CommandLine;
using Host.Tools.Export;
using Host.Tools.Training;

namespace Host.Tools.Commands;

/// <summary>The options shared by <c>train</c>, <c>finetune-void</c> and <c>distill</c>, and their settings.</summary>
internal sealed class TrainingOptions
{
    public TrainingOptions(string defaultInput = "360x480")
    {
        Input = new Option<string>("--input") { Description = "Training input HEIGHTxWIDTH", DefaultValueFactory = _ => defaultInput };
    }

    public Option<string> Data { get; } = new("--data") { Description = "Dataset folder", Required = true };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Epochs (the poly schedule spans them)", DefaultValueFactory = _ => 100 };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size", DefaultValueFactory = _ => 4 };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 5e-4 };

    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Adam weight decay", DefaultValueFactory = _ => 2e-4 };

    public Option<string> Input { get; }

    public Option<string?> Out { get; } = new("--out") { Description = "Run folder (checkpoints, training.csv, loss.png, miou.png)" };

    public Option<string?> Resume { get; } = new("--resume") { Description = "Checkpoint (epoch-NNN.json or a run folder: its last checkpoint) to resume" };

    public Option<double?> MaxMinutes { get; } = new("--max-minutes") { Description = "Wall-clock budget; the running epoch stops, is validated and checkpointed" };

    public Option<int?> StopAfter { get; } = new("--stop-after") { Description = "Stop after N epochs in this run (resume later)" };

    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "At most N optimizer steps per epoch" };

    public Option<int?> MaxValImages { get; } = new("--max-val-images") { Description = "Validate on at most N images" };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed (shuffling, augmentation, dropout)", DefaultValueFactory = _ => 1 };

    public Option<string?> Export { get; } = new("--export") { Description = "ONNX path for the best checkpoint (default <out>/<name>.onnx)" };

    public Option<string?> Pth { get; } = new("--pth") { Description = "Also write the best weights as a PyTorch state dict (.pth; Python: model.load_state_dict(torch.load(path)))" };

    public Option<string?> InputMean { get; } = new("--input-mean") { Description = "R,G,B mean the checkpoint was trained to subtract from [0,1] input (needs --input-std; also written into the exported graph)" };

    public Option<string?> InputStd { get; } = new("--input-std") { Description = "R,G,B std the checkpoint was trained to divide by (needs --input-mean)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Epochs, BatchSize, LearningRate, WeightDecay, Input, Out, Resume, MaxMinutes, StopAfter, MaxSteps, MaxValImages, Seed, Export, Pth, InputMean, InputStd })
        {
            command.Options.Add(option);
        }
    }

    public TrainingSettings Settings(ParseResult parse, string defaultOut, bool lastLayerOnly = false)
    {
        var (h, w) = TrainingSettings.ParseSize(parse.GetValue(Input)!);
        return new TrainingSettings
        {
            OutputDirectory = parse.GetValue(Out) ?? defaultOut,
            Epochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(BatchSize),
            LearningRate = parse.GetValue(LearningRate),
            WeightDecay = parse.GetValue(WeightDecay),
            InputHeight = h,
            InputWidth = w,
            Seed = parse.GetValue(Seed),
            MaxMinutes = parse.GetValue(MaxMinutes),
            StopAfterEpochs = parse.GetValue(StopAfter),
            MaxStepsPerEpoch = parse.GetValue(MaxSteps),
            MaxValidationImages = parse.GetValue(MaxValImages),
            ResumeFrom = parse.GetValue(Resume),
            TrainLastLayerOnly = lastLayerOnly,
            InputNormalization = InputNormalization.FromOptions(parse.GetValue(InputMean), parse.GetValue(InputStd)),
        };
    }

    public string ExportPath(ParseResult parse, TrainingSettings settings, string name) =>
        parse.GetValue(Export) ?? Path.Combine(settings.OutputDirectory, name + ".onnx");
}
