using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Host.Tools.Training;

/// <summary>Runs a trainer with Spectre progress bars on a terminal, plain log lines otherwise.</summary>
public static class TrainingRunner
{
    public static TrainingResult Run(Trainer trainer, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected)
        {
            return trainer.Run(new LogTrainingProgress(logger), cancellationToken);
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => result = trainer.Run(new SpectreTrainingProgress(ctx), cancellationToken));
        return result!;
    }
}
