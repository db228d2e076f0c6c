namespace Host.Tools.Export.Heads;

internal static class HeadArguments
{
    public static double CheckTemperature(double temperature, string emitter) =>
        double.IsFinite(temperature) && temperature > 0
            ? temperature
            : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"{emitter}: temperature must be a finite number > 0, got {temperature}.");
}
