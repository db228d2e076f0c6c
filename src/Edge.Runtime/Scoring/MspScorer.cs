namespace Edge.Runtime.Scoring;

/// <summary>
/// Maximum softmax probability: <c>1 − max_c softmax(l / T)_c</c> over all channels (the paper's code takes the softmax
/// and the max over every output channel, void included). The max-probability is <c>exp(0) / Σ exp(l/T − max) = 1 / S</c>.
/// </summary>
public sealed class MspScorer : IAnomalyScorer
{
    private readonly float _temperature;

    public MspScorer(double temperature = 1.0)
    {
        _temperature = ScorerArguments.CheckTemperature(temperature, nameof(MspScorer));
        Temperature = temperature;
    }

    public string Name => "MSP";

    public double Temperature { get; }

    public void Score(ReadOnlySpan<float> logits, int channels, Span<float> scores) =>
        SoftmaxKernels.ScoreBlocks(logits, channels, scores, Name, _temperature, static (_, sum, output) =>
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = 1f - (1f / sum[i]);
            }
        });
}
