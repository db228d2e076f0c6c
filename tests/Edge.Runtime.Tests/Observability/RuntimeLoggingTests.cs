using Edge.Runtime.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Edge.Runtime.Tests.Observability;

/// <summary>Log lines under systemd carry the syslog priority journald reads; elsewhere they stay simple single lines.</summary>
public sealed class RuntimeLoggingTests
{
    [Fact]
    public void Journal_stream_variable_selects_the_systemd_formatter()
    {
        Assert.True(RuntimeLogging.UnderSystemd(name => name == "JOURNAL_STREAM" ? "8:12345" : null));
        Assert.False(RuntimeLogging.UnderSystemd(_ => null));
        Assert.False(RuntimeLogging.UnderSystemd(name => name == "JOURNAL_STREAM" ? string.Empty : null));
        Assert.Equal("systemd", ConfiguredFormatter(underSystemd: true).Name);
        Assert.Equal("simple", ConfiguredFormatter(underSystemd: false).Name);
    }

    [Theory]
    [InlineData(LogLevel.Critical, 2)] // syslog crit
    [InlineData(LogLevel.Error, 3)] // err
    [InlineData(LogLevel.Warning, 4)] // warning
    [InlineData(LogLevel.Information, 6)] // info
    [InlineData(LogLevel.Debug, 7)] // debug
    public void Line_under_systemd_starts_with_the_syslog_priority_and_has_no_timestamp(LogLevel level, int priority)
    {
        var line = Emit(ConfiguredFormatter(underSystemd: true), level, "MQTT connect to 127.0.0.1:1883 failed");

        Assert.Equal($"<{priority}>Edge.Runtime.Mqtt.MqttAlertService[7] MQTT connect to 127.0.0.1:1883 failed{Environment.NewLine}", line);
    }

    [Fact]
    public void Line_on_a_terminal_has_no_priority_prefix_and_stays_on_one_line()
    {
        var line = Emit(ConfiguredFormatter(underSystemd: false), LogLevel.Warning, "MQTT connect failed");

        Assert.DoesNotContain("<4>", line, StringComparison.Ordinal);
        Assert.StartsWith("warn: Edge.Runtime.Mqtt.MqttAlertService[7] MQTT connect failed", line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The formatter the console logger of <see cref="RuntimeLogging.Configure"/> is set to use.</summary>
    private static ConsoleFormatter ConfiguredFormatter(bool underSystemd)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => RuntimeLogging.Configure(b, underSystemd));
        using var provider = services.BuildServiceProvider();
        var name = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
        Assert.Equal(RuntimeLogging.FormatterName(underSystemd), name);
        Assert.Equal(LogLevel.Trace, provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.LogToStandardErrorThreshold);
        return provider.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
    }

    private static string Emit(ConsoleFormatter formatter, LogLevel level, string message)
    {
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Edge.Runtime.Mqtt.MqttAlertService", new EventId(7), message, null, (state, _) => state);
        formatter.Write(in entry, new LoggerExternalScopeProvider(), writer);
        return writer.ToString();
    }
}
