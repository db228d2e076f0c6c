using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Host.Tools.Tests.HazardEvaluation;

/// <summary>Keeps every formatted log line of every category.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}
