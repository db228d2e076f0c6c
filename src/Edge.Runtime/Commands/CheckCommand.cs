using System.CommandLine;
using Edge.Camera;
using Edge.Runtime.Alerts;
using Edge.Runtime.Configuration;
using Edge.Runtime.Hosting;
using Edge.Runtime.Inference;
using Edge.Runtime.Models;
using Edge.Runtime.Mqtt;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Commands;

/// <summary><c>edgeseg check</c>: settings, ONNX Runtime providers, model + card (class counts agree), source (reads one frame), queue directory (writable, not locked), broker reachability.</summary>
public sealed class CheckCommand
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    public CheckCommand(ILoggerFactory loggerFactory, TextWriter output, TextWriter error)
    {
        _loggerFactory = loggerFactory;
        _output = output;
        _error = error;
    }

    public Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Settings file (edgeseg.json)" };
        var source = new Option<string?>("--source") { Description = "Frame source to try" };
        var model = new Option<string?>("--model") { Description = "ONNX model to load" };
        var broker = new Option<string?>("--broker") { Description = "MQTT broker mqtt://host:port to reach" };
        var command = new Command("check", "Check providers, model, source and broker") { config, source, model, broker };
        command.SetAction((parseResult, cancellationToken) => ExecuteAsync(
            new RunOptions(parseResult.GetValue(config), parseResult.GetValue(source), parseResult.GetValue(model), parseResult.GetValue(broker), null, null),
            cancellationToken));
        return command;
    }

    public async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        RuntimeSettings settings;
        try
        {
            settings = options.ApplyTo(RuntimeSettings.Load(options.ConfigPath));
            settings.ThrowIfInvalid();
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidDataException)
        {
            await _error.WriteLineAsync($"edgeseg check: settings: {ex.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var ok = true;
        await Line("settings", "ok").ConfigureAwait(false);
        await Line("providers available", OrtProviders.Describe()).ConfigureAwait(false);
        try
        {
            var card = ModelCard.Load(ModelCard.PathFor(settings.Model.ModelPath));
            using var session = SegmentationSession.Create(
                settings.Model,
                _loggerFactory.CreateLogger<SegmentationSession>(),
                card);
            session.EnsureMatches(card, ModelCard.PathFor(settings.Model.ModelPath));
            await Line("model", $"{settings.Model.ModelPath}: {card.Name}, {card.Classes.Count} classes, input {session.InputHeight}x{session.InputWidth}, default score {card.DefaultScore}, provider {session.Provider}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ModelLoadException or InvalidDataException or ArgumentException)
        {
            ok = false;
            await Line("model", $"FAILED: {ex.Message}").ConfigureAwait(false);
        }

        try
        {
            using var source = new FrameSourceFactory(_loggerFactory).Create(settings.Source);
            await source.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var frame = await source.ReadAsync(timeout.Token).ConfigureAwait(false);
            await Line("source", frame is null ? $"{source.Description}: opened, but no frame" : $"{source.Description}: {frame.Width}x{frame.Height}").ConfigureAwait(false);
            ok &= frame is not null;
        }
        catch (Exception ex) when (ex is FrameSourceException or ArgumentException or OperationCanceledException)
        {
            ok = false;
            await Line("source", $"FAILED: {ex.Message}").ConfigureAwait(false);
        }

        try
        {
            await Line("queue", FileAlertQueue.Probe(settings.Queue)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlertQueueLockedException or UnauthorizedAccessException or IOException or ArgumentException)
        {
            ok = false;
            await Line("queue", $"FAILED: {ex.Message}").ConfigureAwait(false);
        }

        if (settings.Mqtt.Host is { } host)
        {
            ok &= await CheckBrokerAsync(settings, host, Line, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Line("broker", $"none configured: embedded broker on 127.0.0.1:{settings.Mqtt.EmbeddedBrokerPort}").ConfigureAwait(false);
        }

        return ok ? ExitCodes.Success : ExitCodes.Failure;

        Task Line(string name, string value) => _output.WriteLineAsync($"{name}: {value}".AsMemory(), cancellationToken);
    }

    /// <summary>Connects once with the runtime's MQTT settings (TLS files, credentials) and reports the CONNACK / TLS / socket outcome.</summary>
    private static async Task<bool> CheckBrokerAsync(RuntimeSettings settings, string host, Func<string, string, Task> line, CancellationToken cancellationToken)
    {
        var endpoint = $"{host}:{settings.Mqtt.Port}{(settings.Mqtt.UseTls ? " (TLS)" : string.Empty)}";
        try
        {
            var mqtt = settings.MqttService();
            var failure = await MqttBrokerProbe.ConnectOnceAsync(mqtt, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                await line("broker", $"{endpoint}: connected (MQTT 5{(mqtt.Username is null ? string.Empty : $", user {mqtt.Username}")}{(mqtt.CertFile is null ? string.Empty : ", client certificate")})").ConfigureAwait(false);
                return true;
            }

            await line("broker", $"FAILED: {endpoint}: {failure.Kind}: {failure.Reason} ({failure.Hint})").ConfigureAwait(false);
            return false;
        }
        catch (ArgumentException ex)
        {
            await line("broker", $"FAILED: {ex.Message}").ConfigureAwait(false);
            return false;
        }
    }
}
