namespace Edge.Runtime.Vehicle;

/// <summary>GPIO hazard lamp (and optional PWM buzzer). Validated once by <see cref="HazardIndicator"/>.</summary>
public sealed record HazardIndicatorSettings
{
    /// <summary>Logical (BCM / gpiochip line) number of the output pin.</summary>
    public required int Pin { get; init; }

    /// <summary>True: pin high while a hazard is active (default). False: active low.</summary>
    public bool ActiveHigh { get; init; } = true;

    /// <summary>PWM chip of the buzzer; null = no buzzer.</summary>
    public int? BuzzerPwmChip { get; init; }

    public int BuzzerPwmChannel { get; init; }

    public int BuzzerFrequencyHz { get; init; } = 2000;

    /// <summary>0..1.</summary>
    public double BuzzerDutyCycle { get; init; } = 0.5;

    public void Validate()
    {
        if (Pin < 0)
        {
            throw new ArgumentException($"Hazard indicator pin: expected >= 0, got {Pin}.");
        }

        if (BuzzerPwmChip is < 0 || BuzzerPwmChannel < 0)
        {
            throw new ArgumentException($"Hazard buzzer PWM chip/channel: expected >= 0, got {BuzzerPwmChip}/{BuzzerPwmChannel}.");
        }

        if (BuzzerFrequencyHz is < 1 or > 100_000)
        {
            throw new ArgumentException($"Hazard buzzer frequency: expected 1..100000 Hz, got {BuzzerFrequencyHz}.");
        }

        if (BuzzerDutyCycle is < 0 or > 1 || double.IsNaN(BuzzerDutyCycle))
        {
            throw new ArgumentException($"Hazard buzzer duty cycle: expected 0..1, got {BuzzerDutyCycle}.");
        }
    }
}
