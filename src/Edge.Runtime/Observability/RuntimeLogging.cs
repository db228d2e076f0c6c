using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Edge.Runtime.Observability;

/// <summary>
/// Console logging of <c>edgeseg</c>: every line to stderr (results go to stdout). On a terminal or in a pipe, the simple
/// single-line format; under systemd (its <c>JOURNAL_STREAM</c> variable is set when stdout/stderr are connected to the
/// journal) the <c>systemd</c> format, whose <c>&lt;N&gt;</c> syslog priority prefix journald turns into the entry's
/// priority (<c>journalctl -p warning</c>), without a timestamp of its own (journald stamps every entry).
/// </summary>
public static class RuntimeLogging
{
    /// <summary>Set by systemd for a unit whose stdout or stderr is connected to the journal.</summary>
    public const string JournalStreamVariable = "JOURNAL_STREAM";

    /// <summary>True when <c>JOURNAL_STREAM</c> is set in <paramref name="environment"/> (default: this process's environment).</summary>
    public static bool UnderSystemd(Func<string, string?>? environment = null) =>
        !string.IsNullOrEmpty((environment ?? Environment.GetEnvironmentVariable)(JournalStreamVariable));

    /// <summary>The console formatter <see cref="Configure"/> picks: <c>systemd</c> under systemd, else <c>simple</c>.</summary>
    public static string FormatterName(bool underSystemd) => underSystemd ? ConsoleFormatterNames.Systemd : ConsoleFormatterNames.Simple;

    /// <summary>Information and above (Microsoft.* warnings and above), to stderr, in the format of <see cref="FormatterName"/>.</summary>
    public static void Configure(ILoggingBuilder builder, bool underSystemd)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // logs go to stderr, results to stdout
        if (underSystemd)
        {
            builder.AddSystemdConsole(o => o.TimestampFormat = null);
        }
        else
        {
            builder.AddSimpleConsole(o => o.SingleLine = true);
        }
    }
}
