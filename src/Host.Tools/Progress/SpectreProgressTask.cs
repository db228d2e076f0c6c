using Spectre.Console;

namespace Host.Tools.Progress;

/// <summary>A bar of the running Spectre progress display (description, bar, percentage, time left).</summary>
public sealed class SpectreProgressTask : IProgressTask
{
    private readonly ProgressTask _task;

    public SpectreProgressTask(ProgressContext context, string description, int total)
    {
        ArgumentNullException.ThrowIfNull(context);
        _task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
    }

    public void Advance(string detail) => _task.Increment(1);

    public void Dispose()
    {
        _task.Value = _task.MaxValue;
        _task.StopTask();
    }
}
