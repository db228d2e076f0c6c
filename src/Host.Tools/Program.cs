using System.CommandLine;
using Host.Tools.Commands;
using Host.Tools.Native;
using Microsoft.Extensions.Logging;

namespace Host.Tools;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));

        if (OneDnnIsaCap.Decision is { } decision)
        {
            loggerFactory.CreateLogger("edgeseg-tools").LogInformation("libtorch CPU kernels capped: {Decision}", decision);
        }

        var root = new RootCommand("EdgeSeg host tools: import, export, evaluate, compress and train the paper's networks")
        {
            new BuildModelsCommand(loggerFactory).Create(),
            new ExportCommand(loggerFactory).Create(),
            new InferCommand(loggerFactory).Create(),
            new BenchModelsCommand(loggerFactory).Create(),
            new EvaluateCommand(loggerFactory).Create(),
            new MiouCommand(loggerFactory).Create(),
            new ReproductionCommand(loggerFactory).Create(),
            new PruneCommand(loggerFactory).Create(),
            new QuantizeCommand(loggerFactory).Create(),
            new OptimizeCommand(loggerFactory).Create(),
            new CompressionReportCommand(loggerFactory).Create(),
            new ImportInt8Command(loggerFactory).Create(),
            new ProfileCommand(loggerFactory).Create(),
            new TrainCommand(loggerFactory).Create(),
            new FinetuneVoidCommand(loggerFactory).Create(),
            new DistillCommand(loggerFactory).Create(),
            new CalibrateTemperatureCommand(loggerFactory).Create(),
            new CalibrateThresholdCommand(loggerFactory).Create(),
            new EvaluateHazardsCommand(loggerFactory).Create(),
            new SweepHazardsCommand(loggerFactory).Create(),
            new ApplyOperatingPointsCommand(loggerFactory).Create(),
            new AlertQualityReportCommand(loggerFactory).Create(),
            new CalibrateSmlCommand(loggerFactory).Create(),
            new BuildCeilingModelCommand(loggerFactory).Create(),
            new ChaosReportCommand(loggerFactory).Create(),
        };

        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
