using System.Device.Gpio;
using Edge.Runtime.Alerts;
using Edge.Runtime.Tracking;
using Edge.Runtime.Tests.Support;
using Edge.Runtime.Vehicle;

namespace Edge.Runtime.Tests.Vehicle;

public sealed class HazardIndicatorTests
{
    private static ActiveHazard Hazard(string id) => TestEvents.Active(id, new BoundingBox(0, 0, 1, 1), 0.001, 0.9f, true, TestEvents.Epoch);

    [Fact]
    public void Pin_is_held_high_while_any_confirmed_hazard_is_active_and_the_buzzer_sounds_with_it()
    {
        var driver = new FakeGpioDriver();
        var buzzer = new FakePwmChannel();
        using (var indicator = new HazardIndicator(new HazardIndicatorSettings { Pin = 17, BuzzerFrequencyHz = 2500, BuzzerDutyCycle = 0.3 }, driver, buzzer))
        {
            Assert.Contains(17, driver.OpenPins);
            Assert.Equal(PinValue.Low, driver.ValueOf(17));
            Assert.Equal(2500, buzzer.Frequency);
            Assert.Equal(0.3, buzzer.DutyCycle);

            indicator.Update([Hazard("a")]);
            Assert.Equal(PinValue.High, driver.ValueOf(17));
            Assert.True(buzzer.Running);

            var writes = driver.Writes.Count;
            indicator.Update([Hazard("a"), Hazard("b")]);
            Assert.Equal(writes, driver.Writes.Count); // no redundant writes while it stays active
            Assert.Equal(1, buzzer.Starts);

            indicator.Update([]);
            Assert.Equal(PinValue.Low, driver.ValueOf(17));
            Assert.False(buzzer.Running);
            Assert.False(indicator.IsActive);

            indicator.Update(3);
            Assert.True(indicator.IsActive);
        }

        // Disposing leaves the output inactive and releases pin, controller, driver and PWM.
        Assert.Equal((17, PinValue.Low), driver.Writes[^1]);
        Assert.DoesNotContain(17, driver.OpenPins);
        Assert.True(driver.Disposed);
        Assert.True(buzzer.Disposed);
        Assert.False(buzzer.Running);
    }

    [Fact]
    public void Active_low_wiring_inverts_the_level()
    {
        var driver = new FakeGpioDriver();
        using var indicator = new HazardIndicator(new HazardIndicatorSettings { Pin = 5, ActiveHigh = false }, driver);
        Assert.Equal(PinValue.High, driver.ValueOf(5));
        indicator.Update(1);
        Assert.Equal(PinValue.Low, driver.ValueOf(5));
    }

    [Fact]
    public void Settings_name_the_bad_field()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HazardIndicator(new HazardIndicatorSettings { Pin = 4, BuzzerDutyCycle = 1.5 }, new FakeGpioDriver()));
        Assert.Contains("gpio.buzzer_duty_cycle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1.5", ex.Message, StringComparison.Ordinal);
    }
}
