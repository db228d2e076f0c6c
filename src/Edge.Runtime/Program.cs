using System.CommandLine;
using Edge.Runtime.Commands;
using Edge.Runtime.Configuration;
using Edge.Runtime.Observability;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Under systemd, lines carry the <N> syslog priority prefix that journald reads (RuntimeLogging).
        using var loggerFactory = LoggerFactory.Create(builder => RuntimeLogging.Configure(builder, RuntimeLogging.UnderSystemd()));

        var richOutput = !Console.IsOutputRedirected;
        var root = new RootCommand("EdgeSeg runtime: real-time road anomaly segmentation on ONNX Runtime")
        {
            new BenchCommand(loggerFactory, Console.Out, Console.Error, richOutput).Create(),
            new RunCommand(loggerFactory, Console.Out, Console.Error).Create(),
            new CheckCommand(loggerFactory, Console.Out, Console.Error).Create(),
        };

        var parseResult = root.Parse(args);

        // SIGTERM/SIGINT cancel the verb's token; System.CommandLine then waits this long for the verb (pipeline drain,
        // end events, MQTT drain, offline) before ending the process with 130/143. Its 2 s default cut the drain.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = ShutdownTimeout(parseResult) };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary><c>shutdown_timeout_s</c> of the settings the verb will load (file, environment); the default when they cannot be read (the verb reports why).</summary>
    internal static TimeSpan ShutdownTimeout(ParseResult parseResult)
    {
        var config = parseResult.CommandResult.Command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == "--config");
        try
        {
            var settings = RuntimeSettings.Load(config is null ? null : parseResult.GetValue(config));
            if (settings.ShutdownTimeoutSeconds is >= 1 and <= 3600)
            {
                return TimeSpan.FromSeconds(settings.ShutdownTimeoutSeconds);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
        }

        return TimeSpan.FromSeconds(RuntimeSettings.DefaultShutdownTimeoutSeconds);
    }
}
