using System.Device.Gpio;
using System.Device.Pwm;
using Edge.Runtime.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Vehicle;

/// <summary>
/// Drives a GPIO output (lamp / relay) active while at least one confirmed hazard is active, and optionally a PWM buzzer
/// at the same time. Owns and disposes its <see cref="GpioController"/> (and so the driver) and the PWM channel; the pin
/// is left inactive on dispose. Thread-safe.
/// </summary>
public sealed class HazardIndicator : IDisposable
{
    private readonly HazardIndicatorSettings _settings;
    private readonly GpioController _controller;
    private readonly PwmChannel? _buzzer;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _active;
    private bool _disposed;

    /// <summary>Over an explicit driver (tests pass a fake <see cref="GpioDriver"/> and <see cref="PwmChannel"/>).</summary>
    public HazardIndicator(HazardIndicatorSettings settings, GpioDriver driver, PwmChannel? buzzer = null, ILogger<HazardIndicator>? logger = null)
        : this(settings, new GpioController(driver), buzzer, logger)
    {
    }

    private HazardIndicator(HazardIndicatorSettings settings, GpioController controller, PwmChannel? buzzer, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _controller = controller;
        _buzzer = buzzer;
        _logger = logger ?? NullLogger.Instance;
        _controller.OpenPin(settings.Pin, PinMode.Output, Level(false));
        if (_buzzer is not null)
        {
            _buzzer.Frequency = settings.BuzzerFrequencyHz;
            _buzzer.DutyCycle = settings.BuzzerDutyCycle;
        }
    }

    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Opens the board's default GPIO driver and, when configured, the buzzer's hardware PWM channel.</summary>
    public static HazardIndicator OpenDevice(HazardIndicatorSettings settings, ILogger<HazardIndicator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var buzzer = settings.BuzzerPwmChip is { } chip ? PwmChannel.Create(chip, settings.BuzzerPwmChannel, settings.BuzzerFrequencyHz, settings.BuzzerDutyCycle) : null;
        return new HazardIndicator(settings, new GpioController(), buzzer, logger);
    }

    /// <summary>Sets the outputs from the currently active confirmed hazards.</summary>
    public void Update(IReadOnlyCollection<ActiveHazard> activeHazards)
    {
        ArgumentNullException.ThrowIfNull(activeHazards);
        Update(activeHazards.Count);
    }

    /// <summary>Active while <paramref name="activeHazardCount"/> &gt; 0. Only changes are written to the hardware.</summary>
    public void Update(int activeHazardCount)
    {
        var active = activeHazardCount > 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (active == _active)
            {
                return;
            }

            _controller.Write(_settings.Pin, Level(active));
            if (active)
            {
                _buzzer?.Start();
            }
            else
            {
                _buzzer?.Stop();
            }

            _active = active;
        }

        _logger.LogInformation("Hazard indicator {State} (GPIO {Pin})", active ? "on" : "off", _settings.Pin);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _controller.Write(_settings.Pin, Level(false));
                _buzzer?.Stop();
                _controller.ClosePin(_settings.Pin);
            }
            finally
            {
                _buzzer?.Dispose();
                _controller.Dispose();
            }
        }
    }

    private PinValue Level(bool active) => active == _settings.ActiveHigh ? PinValue.High : PinValue.Low;
}
