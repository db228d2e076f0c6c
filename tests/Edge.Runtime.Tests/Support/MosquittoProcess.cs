using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Edge.Runtime.Mqtt;

namespace Edge.Runtime.Tests.Support;

/// <summary>
/// A real mosquitto started by the test on a free loopback port with its own temp config, persistence folder and log
/// (never the system service). Can be frozen (SIGSTOP), killed (SIGKILL) and restarted on the same port.
/// </summary>
internal sealed class MosquittoProcess : IDisposable
{
    private readonly string _config;
    private Process? _process;

    private MosquittoProcess(string directory, int port, string extraConfig)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        Port = port;
        _config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(_config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            user root
            persistence true
            persistence_location {directory}/
            autosave_on_changes true
            autosave_interval 1
            log_dest file {directory}/mosquitto.log
            log_type error
            log_type warning
            log_type notice
            {extraConfig}
            """);
    }

    public string Directory { get; }

    public int Port { get; }

    public string PersistenceFile => Path.Combine(Directory, "mosquitto.db");

    public static string? Executable { get; } = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists);

    /// <summary>Starts mosquitto; <paramref name="extraConfig"/> is appended to the listener's config (e.g. TLS files).</summary>
    public static async Task<MosquittoProcess> StartAsync(string directory, string extraConfig = "")
    {
        Assert.True(Executable is not null, "mosquitto is required for this test (apt-get install -y mosquitto)");
        var m = new MosquittoProcess(directory, EmbeddedBroker.FreeLoopbackPort(), extraConfig);
        await m.RestartAsync();
        return m;
    }

    /// <summary>Starts (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Assert.True(_process is null || _process.HasExited, "mosquitto is still running");
        _process?.Dispose();
        _process = Process.Start(new ProcessStartInfo(Executable!, ["-c", _config]) { UseShellExecute = false })!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            Assert.False(_process.HasExited, $"mosquitto exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Log()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Freezes the broker: it keeps its sockets but processes nothing (no PUBACK).</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>Resumes a broker frozen by <see cref="Freeze"/> (SIGCONT).</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>SIGHUP: mosquitto reloads its configuration (password file, ACLs).</summary>
    public void Reload() => Signal("HUP");

    /// <summary>SIGTERM: the broker stops (saving its persistence file: sessions and queued messages), clients are cut off.</summary>
    public void Terminate()
    {
        Signal("TERM");
        Assert.True(_process!.WaitForExit(10_000), "mosquitto did not stop");
    }

    /// <summary>SIGKILL: no clean shutdown, no persistence save, sockets reset by the kernel.</summary>
    public void Kill()
    {
        _process!.Kill();
        Assert.True(_process.WaitForExit(10_000), "mosquitto did not die");
    }

    public string Log()
    {
        var path = Path.Combine(Directory, "mosquitto.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
    }

    private void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{name}", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        Assert.True(kill.WaitForExit(5_000) && kill.ExitCode == 0, $"kill -{name} failed");
    }
}
