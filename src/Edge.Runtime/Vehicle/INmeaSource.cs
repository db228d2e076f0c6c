namespace Edge.Runtime.Vehicle;

/// <summary>Where NMEA sentences come from (one class per transport).</summary>
public interface INmeaSource
{
    /// <summary>Describes the source for logs, e.g. <c>serial /dev/ttyTHS1 @ 9600</c>.</summary>
    string Description { get; }

    /// <summary>Opens the byte stream; the caller disposes it.</summary>
    ValueTask<Stream> OpenAsync(CancellationToken cancellationToken);
}
