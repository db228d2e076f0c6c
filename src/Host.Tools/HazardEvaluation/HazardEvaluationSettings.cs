namespace Host.Tools.HazardEvaluation;

/// <summary>What <c>evaluate-hazards</c> runs: a model, optional runtime settings, labelled sets and clips.</summary>
public sealed record HazardEvaluationSettings
{
    public required string ModelPath { get; init; }

    /// <summary>edgeseg.json of the run (null = the runtime's defaults).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Dataset folders (one set, or a folder of sets) and video files.</summary>
    public required IReadOnlyList<string> Data { get; init; }

    /// <summary>Set names to keep (empty = all found).</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary>Overlays of the worst frames per set.</summary>
    public int Overlays { get; init; } = 5;

    /// <summary>Folder for overlays (null = none written).</summary>
    public string? OverlayDirectory { get; init; }

    /// <summary>At most this many frames per video (null = all).</summary>
    public int? MaxVideoFrames { get; init; }
}
