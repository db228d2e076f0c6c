using System.Net;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Edge.Runtime.Observability;

/// <summary>
/// Serves <see cref="RuntimeMetrics"/> in the Prometheus text format at <c>http://&lt;metrics.bind&gt;:&lt;metrics.port&gt;/metrics</c>
/// through prometheus-net's <see cref="MetricServer"/> (an <see cref="HttpListener"/> in the process; no ASP.NET
/// Core in the vehicle binary). Scrape it by the address it binds (the listener matches the request's host).
/// </summary>
public sealed class MetricsExporter : IDisposable
{
    private readonly MetricServer _server;
    private readonly ILogger _logger;

    /// <exception cref="ArgumentException">Invalid <paramref name="settings"/> (field, expected, actual) or a port of 0.</exception>
    public MetricsExporter(MetricsSettings settings, RuntimeMetrics metrics, ILogger<MetricsExporter> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = settings.Validate("metrics").ToList();
        if (!settings.Enabled)
        {
            errors.Add("metrics.port: expected 1..65535 for an exporter, got 0 (off)");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        _logger = logger;
        var host = settings.ListenerHost();
        Endpoint = new Uri($"http://{(host == "+" ? "localhost" : host)}:{settings.Port}/metrics");
        _server = new MetricServer(host, settings.Port, "metrics/", metrics.Registry);
    }

    /// <summary>Where the metrics are served (for <c>0.0.0.0</c>: every interface, shown as localhost).</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts serving, or throws when the address cannot be listened on.</summary>
    /// <exception cref="IOException">The port is taken or the address is not on this machine (message names <c>metrics.port</c> / <c>metrics.bind</c>).</exception>
    public static MetricsExporter Start(MetricsSettings settings, RuntimeMetrics metrics, ILogger<MetricsExporter> logger)
    {
        var exporter = new MetricsExporter(settings, metrics, logger);
        try
        {
            exporter.Start();
            return exporter;
        }
        catch
        {
            exporter.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Start(MetricsSettings, RuntimeMetrics, ILogger{MetricsExporter})"/>
    public void Start()
    {
        try
        {
            _server.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new IOException($"metrics.port / metrics.bind: cannot serve {Endpoint} ({ex.Message}); choose a free port or an address of this machine.", ex);
        }

        _logger.LogInformation("Prometheus metrics at {Endpoint}", Endpoint);
    }

    public void Dispose() => _server.Dispose();
}
