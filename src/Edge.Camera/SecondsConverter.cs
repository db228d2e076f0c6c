using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Camera;

/// <summary>
/// Binds a <see cref="TimeSpan"/> option to a number of seconds in <c>edgeseg.json</c> / <c>EDGESEG__</c> variables
/// (fields named <c>*_seconds</c>), so a component's options record is the settings section itself. It lives in
/// Edge.Camera, the library every options record can reference (<see cref="FrameSourceOptions"/> is the <c>source</c> section).
/// </summary>
public sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds))
        {
            throw new JsonException($"expected a number of seconds, got {reader.TokenType}");
        }

        if (!double.IsFinite(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"expected a finite number of seconds, got {seconds}"));
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.TotalSeconds);
    }
}
