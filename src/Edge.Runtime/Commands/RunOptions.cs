using Edge.Runtime.Configuration;

namespace Edge.Runtime.Commands;

/// <summary>Command-line options of <c>edgeseg run</c> / <c>check</c>; each overrides its settings field when given.</summary>
public sealed record RunOptions(string? ConfigPath, string? Source, string? Model, string? Broker, string? DeviceId, long? MaxFrames, bool EchoEvents = false, string? SoakReport = null, double SoakIntervalSeconds = 5)
{
    public RuntimeSettings ApplyTo(RuntimeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with
        {
            Source = Source is null ? settings.Source : settings.Source with { Uri = Source },
            Model = Model is null ? settings.Model : settings.Model with { ModelPath = Model },
            Mqtt = Broker is null ? settings.Mqtt : settings.Mqtt.WithUri(Broker),
            DeviceId = DeviceId ?? settings.DeviceId,
            Pipeline = MaxFrames is null ? settings.Pipeline : settings.Pipeline with { MaxFrames = MaxFrames },
        };
    }
}
