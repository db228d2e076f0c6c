using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Host.Tools.Progress;

/// <summary>
/// Progress of the long host commands (<c>train</c>, <c>evaluate</c>, <c>miou</c>, <c>quantize</c>, ...): a Spectre
/// display with time left when stdout and stderr are a terminal, plain log lines otherwise (logs, CI, pipes).
/// <see cref="Run{T}"/> wraps a command's long part; inside it, each loop asks <see cref="Track"/> for its task.
/// </summary>
public static class WorkProgress
{
    private static readonly AsyncLocal<ProgressContext?> Display = new();

    /// <summary>True when stdout and stderr are a terminal (Spectre bars), false for log lines.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>The columns of every progress display: description, bar, percentage, time left.</summary>
    public static ProgressColumn[] Columns() => [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()];

    /// <summary>Runs <paramref name="work"/> inside a Spectre progress display on a terminal, directly otherwise.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Interactive || Display.Value is not null)
        {
            return work();
        }

        return AnsiConsole.Progress().AutoClear(false).Columns(Columns()).Start(context =>
        {
            Display.Value = context;
            try
            {
                return work();
            }
            finally
            {
                Display.Value = null;
            }
        });
    }

    /// <summary>A task of <paramref name="total"/> steps: a bar in the display of <see cref="Run{T}"/>, else log lines through <paramref name="logger"/>.</summary>
    public static IProgressTask Track(ILogger logger, string description, int total) =>
        Display.Value is { } context ? new SpectreProgressTask(context, description, total) : new LogProgressTask(logger, description, total);
}
