using Edge.Runtime.Models;
using Edge.Runtime.Scoring;

namespace Edge.Runtime.Tests.Scoring;

public sealed class ScorerTests
{
    private const int Channels = 20;
    private const int Pixels = 2500; // not a multiple of the block size

    private static float[] RandomLogits(int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, Channels * Pixels).Select(_ => (float)((rng.NextDouble() * 24) - 12))];
    }

    private static double[] Softmax(float[] logits, int pixel, double t)
    {
        var z = Enumerable.Range(0, Channels).Select(c => logits[(c * Pixels) + pixel] / t).ToArray();
        var m = z.Max();
        var e = z.Select(v => Math.Exp(v - m)).ToArray();
        var s = e.Sum();
        return [.. e.Select(v => v / s)];
    }

    private static void AssertScores(IAnomalyScorer scorer, float[] logits, Func<int, double> expected, double tolerance)
    {
        var scores = new float[Pixels];
        scorer.Score(logits, Channels, scores);
        for (var i = 0; i < Pixels; i++)
        {
            var e = expected(i);
            Assert.True(Math.Abs(scores[i] - e) <= tolerance * Math.Max(1, Math.Abs(e)), $"{scorer.Name} T={scorer.Temperature} pixel {i}: {scores[i]} vs {e}");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.15)]
    public void Msp_is_one_minus_the_max_softmax_over_all_channels(double t)
    {
        var logits = RandomLogits(1);
        AssertScores(new MspScorer(t), logits, i => 1 - Softmax(logits, i, t).Max(), 2e-6);
    }

    [Fact]
    public void MaxLogit_is_the_negative_max_logit_over_all_channels()
    {
        var logits = RandomLogits(2);
        AssertScores(new MaxLogitScorer(), logits, i => -Enumerable.Range(0, Channels).Max(c => logits[(c * Pixels) + i]), 0);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.75)]
    public void MaxEntropy_follows_the_paper_code_convention(double t)
    {
        var logits = RandomLogits(3);
        AssertScores(new MaxEntropyScorer(t), logits, i => -Softmax(logits, i, t).Sum(p => p * Math.Log(p + 1e-10)), 2e-5);
    }

    [Fact]
    public void VoidClass_is_the_softmax_probability_of_the_void_channel()
    {
        var logits = RandomLogits(4);
        AssertScores(new VoidClassScorer(19), logits, i => Softmax(logits, i, 1)[19], 2e-6);
        AssertScores(new VoidClassScorer(3), logits, i => Softmax(logits, i, 1)[3], 2e-6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Energy_is_minus_T_logsumexp(double t)
    {
        var logits = RandomLogits(5);
        AssertScores(new EnergyScorer(t), logits, i =>
        {
            var z = Enumerable.Range(0, Channels).Select(c => logits[(c * Pixels) + i] / t).ToArray();
            var m = z.Max();
            return -t * (m + Math.Log(z.Sum(v => Math.Exp(v - m))));
        }, 2e-6);
    }

    [Fact]
    public void Scorers_reject_mismatched_buffers_and_a_missing_void_channel()
    {
        var logits = new float[Channels * 10];
        Assert.Throws<ArgumentException>(() => new MspScorer().Score(logits, Channels, new float[11]));
        Assert.Throws<ArgumentException>(() => new VoidClassScorer(19).Score(new float[19 * 10], 19, new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MspScorer(0));
    }

    [Fact]
    public void Factory_maps_names_case_insensitively_and_passes_options()
    {
        var msp = AnomalyScorerFactory.Create("msp", new ScorerOptions { Temperature = 2.15 });
        Assert.IsType<MspScorer>(msp);
        Assert.Equal(2.15, msp.Temperature);
        var v = Assert.IsType<VoidClassScorer>(AnomalyScorerFactory.Create("VoidClass", new ScorerOptions { VoidIndex = 5 }));
        Assert.Equal(5, v.VoidIndex);
        Assert.IsType<EnergyScorer>(AnomalyScorerFactory.Create(ScoreKind.Energy));
        Assert.IsType<MaxLogitScorer>(AnomalyScorerFactory.Create(ScoreKind.MaxLogit));
        Assert.Equal(["MSP", "MaxLogit", "MaxEntropy", "VoidClass", "Energy", "SML"], AnomalyScorerFactory.Names);
        var ex = Assert.Throws<ArgumentException>(() => AnomalyScorerFactory.Create("Entropy2"));
        Assert.Contains("MaxEntropy", ex.Message, StringComparison.Ordinal);
        Assert.True(AnomalyScorerFactory.UsesTemperature("MSP"));
        Assert.False(AnomalyScorerFactory.UsesTemperature("MaxLogit"));
    }
}
