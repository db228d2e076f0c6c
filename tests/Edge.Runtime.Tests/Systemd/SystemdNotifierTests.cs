using System.Net.Sockets;
using System.Text;
using Edge.Runtime.Systemd;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Tests.Systemd;

public sealed class SystemdNotifierTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly CapturingLogger _logger = new();

    public SystemdNotifierTests()
    {
        // A short path: sun_path holds 108 bytes.
        _socketPath = Path.Combine(_dir, "notify");
        _listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _listener.ReceiveTimeout = 5000;
    }

    [Fact]
    public void Sends_ready_watchdog_status_and_stopping_as_one_datagram_each()
    {
        using var notifier = SystemdNotifier.FromEnvironment(_logger.CreateLogger("t"), name => name == "NOTIFY_SOCKET" ? _socketPath : null);

        Assert.NotNull(notifier);
        Assert.True(notifier.Ready());
        Assert.True(notifier.Watchdog());
        Assert.True(notifier.Status("model loaded\nsource open"));
        Assert.True(notifier.Stopping());

        Assert.Equal("READY=1", Receive());
        Assert.Equal("WATCHDOG=1", Receive());
        Assert.Equal("STATUS=model loaded source open", Receive());
        Assert.Equal("STOPPING=1", Receive());
    }

    [Fact]
    public async Task Watchdog_loop_pings_periodically_until_cancelled()
    {
        using var notifier = new SystemdNotifier(_socketPath, _logger.CreateLogger("t"));
        using var cts = new CancellationTokenSource();

        var loop = notifier.RunWatchdogAsync(TimeSpan.FromMilliseconds(20), cts.Token);
        var received = new[] { Receive(), Receive(), Receive() };
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.All(received, r => Assert.Equal("WATCHDOG=1", r));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Watchdog_is_withheld_while_progress_stalls_and_resumes_with_it()
    {
        using var notifier = new SystemdNotifier(_socketPath, _logger.CreateLogger("t"));
        using var cts = new CancellationTokenSource();
        long frames = 0;
        var stalled = false;

        var loop = notifier.RunWatchdogAsync(TimeSpan.FromMilliseconds(20), cts.Token, () => stalled ? Volatile.Read(ref frames) : Interlocked.Increment(ref frames));
        Assert.Equal("WATCHDOG=1", Receive());
        Assert.Equal("WATCHDOG=1", Receive());

        Volatile.Write(ref stalled, true);
        // The loop notices on its next tick (however late a loaded machine runs it) and says so.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("WATCHDOG withheld", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no 'WATCHDOG withheld' warning after progress stopped");
            await Task.Delay(10);
        }

        // Pings sent before that are still in the socket (a descheduled test thread lets several pile up); after them,
        // silence for many 20 ms intervals. Pings that kept coming every 20 ms would never let this drain end.
        _listener.ReceiveTimeout = 50;
        var queued = 0;
        while (TryReceive() is not null)
        {
            Assert.True(++queued <= 100, "pings kept coming while progress had stopped");
        }

        _listener.ReceiveTimeout = 400;
        Assert.Null(TryReceive());

        _listener.ReceiveTimeout = 5000;
        Volatile.Write(ref stalled, false);
        Assert.Equal("WATCHDOG=1", Receive());
        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(_logger.Entries, e => e.Message.Contains("WATCHDOG resumed", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreachable_socket_is_reported_as_false_and_logged_not_thrown()
    {
        using var notifier = new SystemdNotifier(Path.Combine(_dir, "nobody-listens"), _logger.CreateLogger("t"));

        Assert.False(notifier.Ready());
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("READY=1", StringComparison.Ordinal));
    }

    [Fact]
    public void Abstract_socket_names_start_with_at()
    {
        var name = $"edgeseg-test-{Guid.NewGuid():N}";
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        listener.ReceiveTimeout = 5000;
        using var notifier = new SystemdNotifier("@" + name, _logger.CreateLogger("t"));

        Assert.True(notifier.Ready());
        var buffer = new byte[256];
        Assert.Equal("READY=1", Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer)));
    }

    [Fact]
    public void No_notify_socket_means_no_notifier()
    {
        Assert.Null(SystemdNotifier.FromEnvironment(_logger.CreateLogger("t"), _ => null));
    }

    [Theory]
    [InlineData("30000000", null, 15.0)]
    [InlineData("30000000", "4242", 15.0)]
    [InlineData("30000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    [InlineData("soon", null, null)]
    public void Watchdog_interval_is_half_of_watchdog_usec_for_this_process(string? usec, string? pid, double? expectedSeconds)
    {
        var env = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        var interval = SystemdNotifier.WatchdogInterval(4242, name => env.GetValueOrDefault(name));

        Assert.Equal(expectedSeconds, interval?.TotalSeconds);
    }

    public void Dispose() => _listener.Dispose();

    private string? TryReceive()
    {
        try
        {
            return Receive();
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return null;
        }
    }

    private string Receive()
    {
        var buffer = new byte[256];
        var n = _listener.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
