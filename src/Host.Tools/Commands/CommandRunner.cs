using Host.Tools.Import;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>Runs a command body and turns expected failures (bad files, bad arguments) into one clear message and an exit code.</summary>
public static class CommandRunner
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static int Run(ILoggerFactory loggerFactory, string name, Func<ILogger, int> body)
    {
        var logger = loggerFactory.CreateLogger(name);
        try
        {
            return body(logger);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or CheckpointFormatException or StateDictMismatchException or ArgumentException
                                       or Edge.Runtime.Inference.ModelLoadException or NotSupportedException)
        {
            Console.Error.WriteLine($"edgeseg-tools {name}: {ex.Message}");
            return BadInput;
        }
    }
}
