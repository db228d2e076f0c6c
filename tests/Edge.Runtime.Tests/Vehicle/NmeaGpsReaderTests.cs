using System.Globalization;
using System.Text;
using Edge.Runtime.Tests.Support;
using Edge.Runtime.Vehicle;

namespace Edge.Runtime.Tests.Vehicle;

public sealed class NmeaGpsReaderTests
{
    // Textbook sentences with their published checksums.
    private const string Rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";
    private const string Gga = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";

    private static readonly GpsSettings Settings = new() { TcpHost = "127.0.0.1", MaxFixAge = TimeSpan.FromSeconds(5) };

    /// <summary>Adds "*HH" computed here, independently of the parser.</summary>
    private static string WithChecksum(string body)
    {
        var sum = 0;
        foreach (var c in body)
        {
            sum ^= c;
        }

        return $"${body}*{sum.ToString("X2", CultureInfo.InvariantCulture)}";
    }

    private static MemoryStream Stream(params string[] lines) => new(Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    [Fact]
    public void Checksums_of_reference_sentences_validate_and_a_changed_character_fails()
    {
        Assert.True(NmeaParser.HasValidChecksum(Rmc));
        Assert.True(NmeaParser.HasValidChecksum(Gga));
        Assert.Equal(Rmc, WithChecksum(Rmc[1..^3]));
        Assert.False(NmeaParser.HasValidChecksum(Rmc.Replace("4807", "4808", StringComparison.Ordinal)));
        Assert.False(NmeaParser.HasValidChecksum(Rmc.AsSpan()[..^3])); // no checksum at all
    }

    [Fact]
    public async Task Rmc_gives_position_speed_in_kmh_and_utc_timestamp()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream("garbage line", Rmc), CancellationToken.None);
        var fix = reader.Latest;
        Assert.NotNull(fix);
        Assert.Equal(48 + (7.038 / 60), fix.Latitude, 9);
        Assert.Equal(11 + (31.0 / 60), fix.Longitude, 9);
        Assert.Equal(22.4 * 1.852, fix.SpeedKmh!.Value, 9);
        Assert.Equal(new DateTimeOffset(1994, 3, 23, 12, 35, 19, TimeSpan.Zero), fix.Timestamp);
    }

    [Fact]
    public async Task Gnrmc_southern_western_hemispheres_are_negative()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream(WithChecksum("GNRMC,081836.50,A,3751.65,S,14507.36,W,000.0,360.0,130998,011.3,E")), CancellationToken.None);
        var fix = reader.Latest!;
        Assert.Equal(-(37 + (51.65 / 60)), fix.Latitude, 9);
        Assert.Equal(-(145 + (7.36 / 60)), fix.Longitude, 9);
        Assert.Equal(0, fix.SpeedKmh);
        Assert.Equal(new DateTimeOffset(1998, 9, 13, 8, 18, 36, 500, TimeSpan.Zero), fix.Timestamp);
    }

    [Fact]
    public async Task Gga_updates_position_and_keeps_the_speed_of_a_recent_rmc()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream(Rmc, WithChecksum("GPGGA,123520,4807.100,N,01131.100,E,1,08,0.9,545.4,M,46.9,M,,")), CancellationToken.None);
        var fix = reader.Latest!;
        Assert.Equal(48 + (7.1 / 60), fix.Latitude, 9);
        Assert.Equal(22.4 * 1.852, fix.SpeedKmh!.Value, 9);
        Assert.Equal(new DateTimeOffset(1994, 3, 23, 12, 35, 20, TimeSpan.Zero), fix.Timestamp);
    }

    [Fact]
    public async Task Gga_hdop_gives_the_accuracy_estimate_that_later_rmc_fixes_keep()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream(WithChecksum("GPGGA,123519,4807.038,N,01131.000,E,1,08,1.7,545.4,M,46.9,M,,"), Rmc), CancellationToken.None);
        Assert.Equal(1.7 * NmeaGpsReader.UereMeters, reader.Latest!.AccuracyMeters!.Value, 6); // RMC has no HDOP: the GGA's stays

        var rmcOnly = new NmeaGpsReader(Settings);
        await rmcOnly.ReadAsync(Stream(Rmc), CancellationToken.None);
        Assert.Null(rmcOnly.Latest!.AccuracyMeters); // never reported: Home Assistant gets no gps_accuracy
    }

    [Fact]
    public async Task Gga_alone_has_no_speed()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream(Gga), CancellationToken.None);
        Assert.NotNull(reader.Latest);
        Assert.Null(reader.Latest!.SpeedKmh);
    }

    [Fact]
    public async Task Bad_checksum_is_counted_and_ignored()
    {
        var reader = new NmeaGpsReader(Settings);
        var corrupted = Rmc.Replace("*6A", "*6B", StringComparison.Ordinal);
        await reader.ReadAsync(Stream(corrupted), CancellationToken.None);
        Assert.Null(reader.Latest);
        Assert.Equal(1, reader.ChecksumErrors);
        Assert.Equal(0, reader.AcceptedSentences);
    }

    [Fact]
    public async Task No_fix_clears_the_position()
    {
        var reader = new NmeaGpsReader(Settings);
        await reader.ReadAsync(Stream(Rmc), CancellationToken.None);
        Assert.NotNull(reader.Latest);
        await reader.ReadAsync(Stream(WithChecksum("GPRMC,123521,V,,,,,,,230394,,")), CancellationToken.None);
        Assert.Null(reader.Latest);
        await reader.ReadAsync(Stream(Rmc), CancellationToken.None);
        await reader.ReadAsync(Stream(WithChecksum("GPGGA,123522,,,,,0,00,99.9,,M,,M,,")), CancellationToken.None);
        Assert.Null(reader.Latest);
        Assert.Equal(4, reader.AcceptedSentences);
    }

    [Fact]
    public async Task A_stale_fix_is_reported_as_unknown()
    {
        var clock = new ManualTimeProvider(TestEvents.Epoch);
        var reader = new NmeaGpsReader(Settings, timeProvider: clock);
        await reader.ReadAsync(Stream(Rmc), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.NotNull(reader.Latest);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Null(reader.Latest);
    }

    [Fact]
    public async Task RunAsync_reads_a_tcp_source_and_reopens_it_after_it_closes()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var settings = new GpsSettings { TcpHost = "127.0.0.1", TcpPort = port, ReconnectDelay = TimeSpan.FromMilliseconds(50) };
        var reader = new NmeaGpsReader(settings);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = reader.RunAsync(settings.CreateSource(), cts.Token);

        foreach (var sentence in new[] { Rmc, WithChecksum("GNRMC,081836.50,A,3751.65,S,14507.36,W,000.0,360.0,130998,011.3,E") })
        {
            using (var client = await listener.AcceptTcpClientAsync(cts.Token))
            {
                var bytes = Encoding.ASCII.GetBytes(sentence + "\r\n");
                await client.GetStream().WriteAsync(bytes, cts.Token);
                var expectedLatitude = sentence == Rmc ? 48.1173 : -37.8608;
                while (reader.Latest is not { } fix || Math.Abs(fix.Latitude - expectedLatitude) > 1e-3)
                {
                    await Task.Delay(10, cts.Token);
                }
            } // closing the connection makes the reader reopen the source
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, reader.AcceptedSentences);
    }

    [Fact]
    public void Settings_take_tcp_when_a_host_is_set_else_the_serial_port()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GpsSettings { SerialPort = " " }.Validate());
        Assert.Contains("gps.port: expected a serial device", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SerialNmeaSource>(new GpsSettings().CreateSource());
        Assert.IsType<SerialNmeaSource>(new GpsSettings { SerialPort = "/dev/ttyTHS1" }.CreateSource());
        Assert.IsType<TcpNmeaSource>(new GpsSettings { TcpHost = "127.0.0.1" }.CreateSource());
        Assert.Contains("gps.tcp_port", Assert.Throws<ArgumentException>(() => new GpsSettings { TcpHost = "127.0.0.1", TcpPort = 0 }.Validate()).Message, StringComparison.Ordinal);
    }
}
