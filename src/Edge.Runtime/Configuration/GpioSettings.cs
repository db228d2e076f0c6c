namespace Edge.Runtime.Configuration;

/// <summary>Settings <c>gpio</c>: a buzzer/LED pin driven while a hazard is active (implemented by the MQTT/GPIO branch).</summary>
public sealed record GpioSettings
{
    public bool Enabled { get; init; }

    public int Pin { get; init; } = 18;
}
