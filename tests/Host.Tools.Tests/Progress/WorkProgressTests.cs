using System.Globalization;
using System.Text.RegularExpressions;
using Host.Tools.Progress;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Tests.Progress;

/// <summary>Progress of the long host commands when stdout is not a terminal: log lines with the time left.</summary>
public sealed partial class WorkProgressTests
{
    [Fact]
    public void Without_a_terminal_run_calls_the_work_and_tasks_log_lines()
    {
        Assert.False(WorkProgress.Interactive); // the test host redirects stdout
        var logger = new ListLogger();

        var result = WorkProgress.Run(() =>
        {
            using var task = WorkProgress.Track(logger, "RoadAnomaly21", 3);
            Assert.IsType<LogProgressTask>(task);
            task.Advance("a.png");
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal("[RoadAnomaly21 1/3] a.png", Prefix(Assert.Single(logger.Lines)));
    }

    [Fact]
    public void Log_lines_come_at_the_first_and_last_step_and_at_most_once_per_interval_between()
    {
        var logger = new ListLogger();
        using (var task = new LogProgressTask(logger, "calibration pass 1/2", 5, interval: TimeSpan.FromHours(1)))
        {
            foreach (var image in new[] { "1.png", "2.png", "3.png", "4.png", "5.png" })
            {
                task.Advance(image);
            }
        }

        Assert.Equal(["[calibration pass 1/2 1/5] 1.png", "[calibration pass 1/2 5/5] 5.png"], logger.Lines.Select(Prefix));
        Assert.Equal(0, Left(logger.Lines[^1])); // nothing left after the last step
    }

    [Fact]
    public void Time_left_is_the_mean_step_time_times_the_steps_left()
    {
        var logger = new ListLogger();
        var task = new LogProgressTask(logger, "frames", 4, interval: TimeSpan.Zero);
        Thread.Sleep(1100);
        task.Advance("frame 1"); // ~1.1 s for one step, three to go: ~3 s left

        var line = Assert.Single(logger.Lines);
        var elapsed = Elapsed(line);
        Assert.InRange(Left(line), Math.Floor(elapsed * 3) - 2, Math.Ceiling(elapsed * 3) + 2); // both printed rounded to whole seconds
        Assert.True(Left(line) >= 2, line);
    }

    private static string Prefix(string line) => line[..line.IndexOf(';', StringComparison.Ordinal)];

    private static double Elapsed(string line) => double.Parse(Numbers().Match(line).Groups["elapsed"].Value, CultureInfo.InvariantCulture);

    private static double Left(string line) => double.Parse(Numbers().Match(line).Groups["left"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"; (?<elapsed>\d+) s elapsed, ~(?<left>\d+) s left$")]
    private static partial Regex Numbers();

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
