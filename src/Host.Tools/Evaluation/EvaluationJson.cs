using System.Text.Json;
using System.Text.Json.Serialization;

namespace Host.Tools.Evaluation;

/// <summary>JSON options of the evaluation documents: snake_case, indented.</summary>
public static class EvaluationJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
