using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Edge.Runtime.Benchmarking;
using Edge.Runtime.Inference;
using Edge.Runtime.IO;
using Edge.Runtime.Preprocessing;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Edge.Runtime.Commands;

/// <summary>
/// <c>edgeseg bench</c>: times <see cref="SegmentationSession.Run"/> on one model. The input is a real preprocessed
/// image (<c>--image</c>) or a deterministic pattern; after warm-up, each of N runs is timed with a Stopwatch.
/// </summary>
public sealed class BenchCommand
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _richOutput;

    /// <param name="loggerFactory">Logging sink for session/provider messages.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where error messages go.</param>
    /// <param name="richOutput">True to print a Spectre table (interactive terminal), false for plain lines.</param>
    public BenchCommand(ILoggerFactory loggerFactory, TextWriter output, TextWriter error, bool richOutput)
    {
        _loggerFactory = loggerFactory;
        _output = output;
        _error = error;
        _richOutput = richOutput;
    }

    public Command Create()
    {
        var model = new Option<string>("--model") { Description = "ONNX model file (input 'image' [1,3,H,W], output 'logits' [1,C,H,W])", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Timed runs", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs before timing", DefaultValueFactory = _ => 3 };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference, e.g. tensorrt,cuda,cpu (CPU is always the last resort)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [CpuExecutionProvider.ProviderName],
        };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: all cores)" };
        var image = new Option<string?>("--image") { Description = "Image to preprocess into the input (default: a deterministic pattern)" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to this file" };

        iterations.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"--iterations: expected >= 1, got {r.GetValueOrDefault<int>()}.");
            }
        });
        warmup.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--warmup: expected >= 0, got {r.GetValueOrDefault<int>()}.");
            }
        });
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError($"--threads: expected >= 1, got {r.GetValueOrDefault<int?>()}.");
            }
        });
        providers.Validators.Add(r =>
        {
            var unknown = ExecutionProviderChain.ParseNames(r.GetValueOrDefault<string[]>() ?? []).Where(p => !ExecutionProviderChain.KnownNames.Contains(p)).ToList();
            if (unknown.Count > 0)
            {
                r.AddError($"--provider: expected names from {string.Join(", ", ExecutionProviderChain.KnownNames)}, got {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
            }
        });

        var command = new Command("bench", "Time inference of one model with a given execution provider chain")
        {
            model, iterations, warmup, providers, threads, image, json,
        };
        command.SetAction((parseResult, cancellationToken) => ExecuteAsync(
            new BenchSettings
            {
                ModelPath = parseResult.GetValue(model)!,
                Iterations = parseResult.GetValue(iterations),
                Warmup = parseResult.GetValue(warmup),
                Providers = ExecutionProviderChain.ParseNames(parseResult.GetValue(providers) ?? []),
                Threads = parseResult.GetValue(threads),
                ImagePath = parseResult.GetValue(image),
                JsonPath = parseResult.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    /// <summary>Runs the benchmark and returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public async Task<int> ExecuteAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            settings.Validate();
            var report = Measure(settings, cancellationToken);
            Print(report);
            if (settings.JsonPath is { } jsonPath)
            {
                await AtomicFile.WriteAsync(
                    jsonPath,
                    (stream, ct) => JsonSerializer.SerializeAsync(stream, report, BenchReport.JsonOptions, ct),
                    cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (FileNotFoundException ex)
        {
            await _error.WriteLineAsync($"edgeseg bench: {ex.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.MissingFile;
        }
        catch (Exception ex) when (ex is ArgumentException or ModelLoadException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await _error.WriteLineAsync($"edgeseg bench: {ex.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Loads the session, fills the input, warms up and times the runs.</summary>
    public BenchReport Measure(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.ImagePath is { } imagePath && !File.Exists(imagePath))
        {
            throw new FileNotFoundException($"Image file not found: '{imagePath}'.", imagePath);
        }

        var logger = _loggerFactory.CreateLogger<BenchCommand>();
        using var session = SegmentationSession.Create(
            new SegmentationSessionSettings { ModelPath = settings.ModelPath, Providers = settings.Providers, IntraOpThreads = settings.Threads },
            _loggerFactory.CreateLogger<SegmentationSession>());

        string inputSource;
        if (settings.ImagePath is { } path)
        {
            var image = ImageLoader.Load(path);
            new PaperPreprocessor(session.InputHeight, session.InputWidth).Process(image, session.InputBuffer);
            inputSource = path;
        }
        else
        {
            FillPattern(session.InputBuffer);
            inputSource = "pattern";
        }

        for (var i = 0; i < settings.Warmup; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Run();
        }

        var samples = new double[settings.Iterations];
        var stopwatch = new Stopwatch();
        for (var i = 0; i < samples.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stopwatch.Restart();
            session.Run();
            stopwatch.Stop();
            samples[i] = stopwatch.Elapsed.TotalMilliseconds;
        }

        var stats = LatencyStatistics.FromSamples(samples);
        logger.LogInformation("Benchmarked {Model} on {Provider}: p50 {P50:F3} ms over {Iterations} runs", settings.ModelPath, session.Provider, stats.P50Ms, stats.Count);
        return new BenchReport
        {
            Model = settings.ModelPath,
            Provider = session.Provider,
            Input = session.InputShape,
            Output = session.OutputShape,
            InputSource = inputSource,
            Iterations = settings.Iterations,
            Warmup = settings.Warmup,
            P50Ms = stats.P50Ms,
            P95Ms = stats.P95Ms,
            P99Ms = stats.P99Ms,
            MeanMs = stats.MeanMs,
            MinMs = stats.MinMs,
            MaxMs = stats.MaxMs,
            Fps = stats.Fps,
            Threads = session.IntraOpThreads,
            Machine = MachineInfo.Current(),
            Timestamp = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>A deterministic input in [0, 1]: ((i · 7919) mod 256) / 255.</summary>
    public static void FillPattern(Span<float> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (int)((i * 7919L) % 256) / 255f;
        }
    }

    private void Print(BenchReport report)
    {
        var rows = new (string Name, string Value)[]
        {
            ("model", report.Model),
            ("provider", report.Provider),
            ("input", string.Join('x', report.Input)),
            ("threads", report.Threads.ToString(CultureInfo.InvariantCulture)),
            ("iterations", $"{report.Iterations} (+{report.Warmup} warm-up)"),
            ("p50 ms", Ms(report.P50Ms)),
            ("p95 ms", Ms(report.P95Ms)),
            ("p99 ms", Ms(report.P99Ms)),
            ("mean ms", Ms(report.MeanMs)),
            ("fps (1000/mean)", report.Fps.ToString("F1", CultureInfo.InvariantCulture)),
        };

        if (_richOutput)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output) });
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
            foreach (var (name, value) in rows)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            console.Write(table);
            return;
        }

        foreach (var (name, value) in rows)
        {
            _output.WriteLine($"{name}: {value}");
        }
    }

    private static string Ms(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
