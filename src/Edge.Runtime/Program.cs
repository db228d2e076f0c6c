using System.CommandLine;
using Edge.Runtime.Commands;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // logs go to stderr, results to stdout
            .AddSimpleConsole(o => o.SingleLine = true));

        var richOutput = !Console.IsOutputRedirected;
        var root = new RootCommand("EdgeSeg runtime: real-time road anomaly segmentation on ONNX Runtime")
        {
            new BenchCommand(loggerFactory, Console.Out, Console.Error, richOutput).Create(),
            new RunCommand(loggerFactory, Console.Out, Console.Error).Create(),
            new CheckCommand(loggerFactory, Console.Out, Console.Error).Create(),
        };

        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
