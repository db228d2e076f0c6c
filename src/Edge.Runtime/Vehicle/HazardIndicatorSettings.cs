using Edge.Runtime.Configuration;

namespace Edge.Runtime.Vehicle;

/// <summary>
/// Settings <c>gpio</c>: the GPIO hazard lamp (and optional PWM buzzer) driven while a hazard is active. The section
/// binds to this record directly; validated once by <see cref="HazardIndicator"/>.
/// </summary>
public sealed record HazardIndicatorSettings
{
    /// <summary>Drive the indicator in <c>edgeseg run</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary>Logical (BCM / gpiochip line) number of the output pin.</summary>
    public int Pin { get; init; } = 18;

    /// <summary>True: pin high while a hazard is active (default). False: active low.</summary>
    public bool ActiveHigh { get; init; } = true;

    /// <summary>PWM chip of the buzzer; null = no buzzer.</summary>
    public int? BuzzerPwmChip { get; init; }

    public int BuzzerPwmChannel { get; init; }

    public int BuzzerFrequencyHz { get; init; } = 2000;

    /// <summary>0..1.</summary>
    public double BuzzerDutyCycle { get; init; } = 0.5;

    /// <summary>Rule violations (field as its JSON path under <paramref name="prefix"/>, expected, actual).</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (Pin is < 0 or > 1023)
        {
            yield return $"{prefix}.pin: expected 0..1023, got {Pin}";
        }

        if (BuzzerPwmChip is < 0)
        {
            yield return $"{prefix}.buzzer_pwm_chip: expected >= 0 or null (no buzzer), got {BuzzerPwmChip}";
        }

        if (BuzzerPwmChannel < 0)
        {
            yield return $"{prefix}.buzzer_pwm_channel: expected >= 0, got {BuzzerPwmChannel}";
        }

        if (BuzzerFrequencyHz is < 1 or > 100_000)
        {
            yield return $"{prefix}.buzzer_frequency_hz: expected 1..100000 Hz, got {BuzzerFrequencyHz}";
        }

        if (BuzzerDutyCycle is < 0 or > 1 || double.IsNaN(BuzzerDutyCycle))
        {
            yield return $"{prefix}.buzzer_duty_cycle: expected 0..1, got {BuzzerDutyCycle}";
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming every violation (<c>gpio.*</c>).</summary>
    public void Validate() => SettingsErrors.ThrowIfAny(Validate("gpio"));
}
