namespace Host.Tools.Profiling;

/// <summary>The deterministic input the profiler times a model on (values in [0, 1], no image needed).</summary>
public static class SyntheticInput
{
    public static void Fill(Span<float> input)
    {
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (i % 251) / 250f;
        }
    }
}
