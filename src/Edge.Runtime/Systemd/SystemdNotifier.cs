using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one unix datagram per state change to <c>$NOTIFY_SOCKET</c> (a path, or an
/// abstract address written <c>@name</c>). The unit (<c>Type=notify</c>, <c>WatchdogSec=</c>) waits for
/// <see cref="Ready"/>, restarts the service when <see cref="Watchdog"/> stops arriving, and is told
/// <see cref="Stopping"/> on shutdown. Send failures are logged and reported as false, never thrown.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    public const string SocketVariable = "NOTIFY_SOCKET";
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly ILogger _logger;
    private readonly Lock _sendLock = new();
    private bool _disposed;

    /// <param name="socketPath">Datagram socket path, or <c>@name</c> for the abstract namespace.</param>
    public SystemdNotifier(string socketPath, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        ArgumentNullException.ThrowIfNull(logger);
        SocketPath = socketPath;
        _logger = logger;
        _endPoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public string SocketPath { get; }

    /// <summary>A notifier for <c>$NOTIFY_SOCKET</c>, or null when the process was not started by systemd with one.</summary>
    public static SystemdNotifier? FromEnvironment(ILogger logger, Func<string, string?>? environment = null)
    {
        var path = (environment ?? Environment.GetEnvironmentVariable)(SocketVariable);
        return string.IsNullOrWhiteSpace(path) ? null : new SystemdNotifier(path, logger);
    }

    /// <summary>
    /// How often to send WATCHDOG=1: half of <c>$WATCHDOG_USEC</c> (as sd_watchdog_enabled(3) advises), or null when the
    /// watchdog is off or meant for another process (<c>$WATCHDOG_PID</c> ≠ <paramref name="processId"/>).
    /// </summary>
    public static TimeSpan? WatchdogInterval(int processId, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        if (!long.TryParse(env(WatchdogUsecVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        if (env(WatchdogPidVariable) is { Length: > 0 } pid
            && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || owner != processId))
        {
            return null;
        }

        return TimeSpan.FromTicks(usec * 10 / 2);
    }

    /// <summary>READY=1: start-up finished (model loaded, source open).</summary>
    public bool Ready() => Notify("READY=1");

    /// <summary>WATCHDOG=1: the service is alive; send more often than <c>WatchdogSec</c>.</summary>
    public bool Watchdog() => Notify("WATCHDOG=1");

    /// <summary>STOPPING=1: shutdown began.</summary>
    public bool Stopping() => Notify("STOPPING=1");

    /// <summary>STATUS=…: one line shown by <c>systemctl status</c>.</summary>
    public bool Status(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return Notify($"STATUS={status.ReplaceLineEndings(" ")}");
    }

    /// <summary>Sends <paramref name="state"/> (newline-separated assignments) as one datagram.</summary>
    public bool Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        var payload = Encoding.UTF8.GetBytes(state);
        try
        {
            lock (_sendLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _socket.SendTo(payload, SocketFlags.None, _endPoint);
            }

            return true;
        }
        catch (SocketException ex)
        {
            _logger.LogWarning("sd_notify {State} to {Socket} failed: {Reason}", state, SocketPath, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Sends WATCHDOG=1 every <paramref name="interval"/> until cancelled (the first one immediately). With
    /// <paramref name="progress"/> (e.g. frames processed) a tick whose value equals the previous tick's sends nothing,
    /// so a stalled camera or inference stage, not only a dead process, makes systemd restart the service after
    /// <c>WatchdogSec</c>; a warning is logged when the pings stop and an information line when they resume.
    /// </summary>
    public async Task RunWatchdogAsync(TimeSpan interval, CancellationToken cancellationToken, Func<long>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        using var timer = new PeriodicTimer(interval);
        long? last = null;
        var stalled = false;
        try
        {
            do
            {
                var current = progress?.Invoke();
                if (current is null || last is null || current != last)
                {
                    if (stalled)
                    {
                        _logger.LogInformation("Pipeline progressing again ({Progress}); WATCHDOG resumed", current);
                    }

                    stalled = false;
                    Watchdog();
                }
                else if (!stalled)
                {
                    stalled = true;
                    _logger.LogWarning("No pipeline progress for {Interval} (still {Progress}); WATCHDOG withheld, systemd restarts the service if this lasts", interval, current);
                }

                last = current;
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
    }

    public void Dispose()
    {
        lock (_sendLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _socket.Dispose();
        }
    }
}
