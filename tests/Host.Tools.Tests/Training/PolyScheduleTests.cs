using Host.Tools.Training;

namespace Host.Tools.Tests.Training;

public sealed class PolyScheduleTests
{
    [Fact]
    public void Learning_rate_follows_one_minus_t_minus_one_over_T_to_the_0_9()
    {
        var schedule = new PolySchedule(5e-4, 10);
        Assert.Equal(5e-4, schedule.LearningRate(1), 12);
        Assert.Equal(5e-4 * Math.Pow(0.9, 0.9), schedule.LearningRate(2), 12);
        Assert.Equal(5e-4 * Math.Pow(0.5, 0.9), schedule.LearningRate(6), 12);
        Assert.Equal(5e-4 * Math.Pow(0.1, 0.9), schedule.LearningRate(10), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(0));
    }
}
