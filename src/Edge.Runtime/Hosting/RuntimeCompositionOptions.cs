using Edge.Camera;
using Edge.Runtime.Pipeline;
using Edge.Runtime.Pipeline.Scorers;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Hosting;

/// <summary>
/// The seams of <see cref="RuntimeComposition"/>: what <c>edgeseg run</c> leaves at their defaults and a test or a
/// bench replaces. Everything else is built from the settings, the same way for all of them.
/// </summary>
public sealed record RuntimeCompositionOptions
{
    /// <summary>Opens the frame source of the <c>source</c> section (<see cref="FrameSourceOptions.Uri"/>); null = <see cref="FrameSourceFactory"/>.</summary>
    public Func<FrameSourceOptions, ILoggerFactory, IFrameSource>? SourceFactory { get; init; }

    /// <summary>Builds the scorer; null = <see cref="SharedScorerFactory"/> with the resolved SML post-processing.</summary>
    public IAnomalyScorerFactory? Scorers { get; init; }

    /// <summary>Where every hazard message received back from the broker is written (<c>--echo-events</c>); null = no echo subscriber.</summary>
    public TextWriter? Echo { get; init; }

    /// <summary>Observers of the pipeline besides the MQTT state publisher (attached in one place, <see cref="RuntimeComposition"/>).</summary>
    public IReadOnlyList<IPipelineObserver> Observers { get; init; } = [];
}
