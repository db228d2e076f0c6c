using Host.Tools.Progress;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Host.Tools.Training;

/// <summary>Runs a trainer with Spectre progress bars on a terminal, plain log lines otherwise.</summary>
public static class TrainingRunner
{
    public static TrainingResult Run(Trainer trainer, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (!WorkProgress.Interactive)
        {
            return trainer.Run(new LogTrainingProgress(logger), cancellationToken);
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(WorkProgress.Columns())
            .Start(ctx => result = trainer.Run(new SpectreTrainingProgress(ctx), cancellationToken));
        return result!;
    }
}
