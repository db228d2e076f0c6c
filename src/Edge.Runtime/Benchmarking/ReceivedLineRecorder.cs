namespace Edge.Runtime.Benchmarking;

/// <summary>
/// A <see cref="TextWriter"/> that records every line written to it with the UTC time it was written — handed to
/// <see cref="Hosting.MqttEventEcho"/> so <c>edgeseg bench --pipeline</c> knows when each event came back from the broker.
/// </summary>
public sealed class ReceivedLineRecorder : TextWriter
{
    private readonly List<(DateTimeOffset Received, string Line)> _lines = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public ReceivedLineRecorder(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public IReadOnlyList<(DateTimeOffset Received, string Line)> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public override void WriteLine(string? value)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _lines.Add((now, value ?? string.Empty));
        }
    }

    public override void Write(char value)
    {
        // Only whole lines matter (the echo writes one line per message).
    }
}
