using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Runtime.Alerts;

namespace Edge.Runtime.Hosting;

/// <summary>
/// Prints each event as one JSON line as it arrives (the stand-in for the on-disk MQTT queue until it is composed in
/// <see cref="RuntimeHost"/>), and forwards it to an optional inner queue.
/// </summary>
public sealed class ConsoleAlertQueue : IAlertQueue
{
    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();
    private readonly TextWriter _output;
    private readonly IAlertQueue? _inner;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ConsoleAlertQueue(TextWriter output, IAlertQueue? inner = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _inner = inner;
    }

    public async ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        if (_inner is not null)
        {
            await _inner.EnqueueAsync(hazardEvent, cancellationToken).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _output.WriteLineAsync(JsonSerializer.Serialize(hazardEvent, JsonOptions).AsMemory(), cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
