using System.Text;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Vehicle;

/// <summary>
/// Keeps the latest GPS fix from an NMEA 0183 stream (<c>$--RMC</c>, <c>$--GGA</c>; sentences with a bad or missing
/// checksum are counted and ignored). <see cref="Latest"/> is null while the receiver reports no fix, before the first
/// fix, and when the last fix is older than <see cref="GpsSettings.MaxFixAge"/>. Speed comes from RMC (knots to km/h);
/// a GGA fix carries the speed of a recent RMC. Thread-safe to read from the pipeline.
/// </summary>
public sealed class NmeaGpsReader
{
    private readonly GpsSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private GeoFix? _fix;
    private long _fixReceived;
    private DateOnly? _lastDate;
    private double? _lastHdop;
    private long _lastGgaReceived;
    private double? _lastRmcSpeed;
    private long _lastRmcReceived;
    private long _accepted;
    private long _checksumErrors;

    public NmeaGpsReader(GpsSettings settings, ILogger<NmeaGpsReader>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The current fix, or null when unknown (no fix, none yet, or stale).</summary>
    public GeoFix? Latest
    {
        get
        {
            lock (_gate)
            {
                return _fix is not null && _time.GetElapsedTime(_fixReceived) <= _settings.MaxFixAge ? _fix : null;
            }
        }
    }

    /// <summary>RMC/GGA sentences accepted (with or without a fix).</summary>
    public long AcceptedSentences => Interlocked.Read(ref _accepted);

    public long ChecksumErrors => Interlocked.Read(ref _checksumErrors);

    /// <summary>Reads sentences until the stream ends or the token is cancelled.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            ProcessLine(line);
        }
    }

    /// <summary>Reads from <paramref name="source"/> until cancelled, reopening it after failures or end of stream.</summary>
    public async Task RunAsync(INmeaSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reopen = new ReconnectBackoff(_settings.ReconnectDelay, _settings.ReconnectDelay, jitter: false); // fixed gps.reconnect_delay_seconds
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var stream = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    _logger.LogInformation("GPS: reading NMEA from {Source}", source.Description);
                    await ReadAsync(stream, cancellationToken).ConfigureAwait(false);
                }

                _logger.LogWarning("GPS: {Source} ended; reopening in {Delay} s", source.Description, _settings.ReconnectDelay.TotalSeconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                _logger.LogWarning("GPS: {Source} failed ({Error}); reopening in {Delay} s", source.Description, ex.Message, _settings.ReconnectDelay.TotalSeconds);
            }

            try
            {
                await Task.Delay(reopen.Next(), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Applies one NMEA line.</summary>
    public void ProcessLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0 || line[0] != '$')
        {
            return;
        }

        if (!NmeaParser.HasValidChecksum(line))
        {
            Interlocked.Increment(ref _checksumErrors);
            _logger.LogDebug("GPS: ignoring sentence with a bad checksum: {Line}", line);
            return;
        }

        if (NmeaParser.Parse(line) is not { } reading)
        {
            return;
        }

        Interlocked.Increment(ref _accepted);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (reading.Date is { } date)
            {
                _lastDate = date;
            }

            if (!reading.HasFix)
            {
                _fix = null;
                return;
            }

            if (reading.Hdop is { } hdop)
            {
                _lastHdop = hdop;
                _lastGgaReceived = now;
            }

            double? speed;
            if (reading.SentenceType == "RMC")
            {
                speed = reading.SpeedKmh;
                _lastRmcSpeed = speed;
                _lastRmcReceived = now;
            }
            else
            {
                speed = _lastRmcSpeed is not null && _time.GetElapsedTime(_lastRmcReceived) <= _settings.MaxFixAge ? _lastRmcSpeed : null;
            }

            var day = _lastDate ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            var timestamp = new DateTimeOffset(day.ToDateTime(reading.Time, DateTimeKind.Utc));
            var hdopFresh = _lastHdop is not null && _time.GetElapsedTime(_lastGgaReceived) <= _settings.MaxFixAge;
            _fix = new GeoFix(reading.Latitude, reading.Longitude, speed, timestamp) { AccuracyMeters = hdopFresh ? AccuracyFromHdop(_lastHdop!.Value) : null };
            _fixReceived = now;
        }
    }

    /// <summary>Typical user-equivalent range error of a consumer GNSS receiver (metres): HDOP × this estimates the
    /// horizontal accuracy radius Home Assistant shows as <c>gps_accuracy</c>.</summary>
    public const double UereMeters = 5.0;

    /// <summary>Estimated horizontal accuracy (metres) from a GGA HDOP.</summary>
    public static double AccuracyFromHdop(double hdop) => Math.Round(hdop * UereMeters, 1);
}
