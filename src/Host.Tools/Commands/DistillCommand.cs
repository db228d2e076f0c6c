using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Host.Tools.Import;
using Host.Tools.Models;
using Host.Tools.Training;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// <c>edgeseg-tools distill</c>: a student learns a teacher's softened outputs (τ² · KL at temperature τ), blended with the
/// cross-entropy (weight 1 − α) when the data has labels; a plain image folder works too.
/// </summary>
public sealed class DistillCommand
{
    private readonly ILoggerFactory _loggerFactory;

    public DistillCommand(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public Command Create()
    {
        var teacher = new Option<string>("--teacher") { Description = "Teacher: an exported .onnx (run through ONNX Runtime) or an architecture id with --teacher-checkpoint", Required = true };
        var teacherCheckpoint = new Option<string?>("--teacher-checkpoint") { Description = "PyTorch checkpoint (.pth) of the teacher architecture" };
        var teacherClasses = new Option<int>("--teacher-classes") { Description = "Teacher output channels (architecture teachers)", DefaultValueFactory = _ => 20 };
        var student = new Option<string>("--student") { Description = "Student: midenet, enet, erfnet, bisenet", DefaultValueFactory = _ => "midenet" };
        var format = new Option<string?>("--format") { Description = "cityscapes, camvid or images (default: detected from the folder)" };
        var tau = new Option<double>("--tau") { Description = "Distillation temperature", DefaultValueFactory = _ => 4.0 };
        var alpha = new Option<double>("--alpha") { Description = "Weight of the distillation term (1 − alpha: cross-entropy on labels)", DefaultValueFactory = _ => 0.5 };
        var options = new TrainingOptions();
        var command = new Command("distill", "Distil a teacher into a student (KL at temperature tau, optional cross-entropy), export the student")
        {
            teacher, teacherCheckpoint, teacherClasses, student, format, tau, alpha,
        };
        options.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(_loggerFactory, "distill", logger =>
        {
            var data = parse.GetValue(options.Data)!;
            using var teacherModel = CreateTeacher(parse.GetValue(teacher)!, parse.GetValue(teacherCheckpoint), parse.GetValue(teacherClasses));
            var dataFormat = parse.GetValue(format) ?? TrainingDatasets.Detect(data);
            var (train, validation) = TrainingDatasets.Open(dataFormat, data, includeVoid: teacherModel.NumClasses == CityscapesClasses.WithVoid.Count, teacherModel.NumClasses);
            var architecture = TrainingDatasets.Architecture(parse.GetValue(student)!);
            var name = $"{parse.GetValue(student)}-distilled";
            var settings = options.Settings(parse, Path.Combine("runs", name));
            using var network = NetworkFactory.Create(architecture, teacherModel.NumClasses);
            using var supervised = train.IsLabelled && train.NumClasses <= teacherModel.NumClasses ? new CrossEntropyObjective(null) : null;
            var objective = new DistillationObjective(teacherModel, parse.GetValue(tau), parse.GetValue(alpha), supervised);
            logger.LogInformation("distilling {Teacher} into {Student} on {Count} {Kind} images ({Objective})", teacherModel.Description, architecture,
                train.Samples.Count, train.IsLabelled ? "labelled" : "unlabelled", objective.Name);
            var result = TrainingRunner.Run(new Trainer(settings, network, objective, train, validation, logger), logger);
            var classes = teacherModel.NumClasses == train.NumClasses ? train.Classes : [.. Enumerable.Range(0, teacherModel.NumClasses).Select(i => $"class{i}")];
            TrainedModelExporter.Export(network, result.BestWeights, classes, ScoreKind.MaxLogit, options.ExportPath(parse, settings, name),
                settings.InputHeight, settings.InputWidth, logger, settings.InputNormalization, parse.GetValue(options.Pth));
            return ExitCodes.Success;
        }));
        return command;
    }

    private ITeacher CreateTeacher(string teacher, string? checkpoint, int classes)
    {
        if (teacher.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return new OnnxTeacher(SegmentationSession.Create(new SegmentationSessionSettings { ModelPath = teacher }, _loggerFactory.CreateLogger<SegmentationSession>()));
        }

        var architecture = TrainingDatasets.Architecture(teacher);
        var network = checkpoint is null
            ? throw new ArgumentException($"--teacher {teacher}: an architecture teacher needs --teacher-checkpoint.")
            : NetworkImporter.Load(architecture, checkpoint, classes);
        return new NetworkTeacher(network, $"{architecture} ({checkpoint})");
    }
}
