using System.Numerics.Tensors;

namespace Edge.Runtime.Scoring;

/// <summary>Free energy: <c>−T · logsumexp(l / T)</c> over all channels, computed stably as <c>−T · (m + log Σ exp(l/T − m))</c>.</summary>
public sealed class EnergyScorer : IAnomalyScorer
{
    private readonly float _temperature;

    public EnergyScorer(double temperature = 1.0)
    {
        _temperature = ScorerArguments.CheckTemperature(temperature, nameof(EnergyScorer));
        Temperature = temperature;
    }

    public string Name => "Energy";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores)
    {
        var minusT = -_temperature;
        SoftmaxKernels.ScoreBlocks(logits, channels, scores, Name, _temperature, (max, sum, output) =>
        {
            TensorPrimitives.Log(sum, output);
            TensorPrimitives.Add(output, max, output);
            TensorPrimitives.Multiply(output, minusT, output);
        });
    }
}
