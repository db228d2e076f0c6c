namespace Edge.Runtime.Scoring;

internal static class ScorerArguments
{
    public static float CheckTemperature(double temperature, string scorer)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"{scorer}: temperature must be a finite number > 0, got {temperature}.");
        }

        return (float)temperature;
    }
}
