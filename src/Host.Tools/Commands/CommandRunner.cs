using Edge.Runtime.Commands;
using Host.Tools.Import;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Commands;

/// <summary>
/// Runs a command body and turns expected failures into one clear message and a code of the runtime's one exit-code
/// table (<see cref="ExitCodes"/>): a missing file or folder → <see cref="ExitCodes.MissingFile"/>, bad input (unreadable
/// data, bad arguments, a model or checkpoint that cannot be used) → <see cref="ExitCodes.Failure"/>.
/// </summary>
public static class CommandRunner
{
    public static int Run(ILoggerFactory loggerFactory, string name, Func<ILogger, int> body)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(body);
        var logger = loggerFactory.CreateLogger(name);
        try
        {
            return body(logger);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"edgeseg-tools {name}: {ex.Message}");
            return ExitCodes.MissingFile;
        }
        catch (Exception ex) when (ex is InvalidDataException or CheckpointFormatException or StateDictMismatchException or ArgumentException
                                       or Edge.Runtime.Inference.ModelLoadException or NotSupportedException)
        {
            Console.Error.WriteLine($"edgeseg-tools {name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
