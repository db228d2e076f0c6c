using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;
using Edge.Runtime.Tracking;

namespace Edge.Runtime.Tests.Tracking;

public sealed class HazardTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TrackingSettings Settings = new() { ConfirmFrames = 3, EndAfterMissedFrames = 2, UpdateMinIntervalSeconds = 1, UpdateMaxIou = 0.8, UpdateMinScoreChange = 0.1 };

    [Fact]
    public void Publishes_new_after_confirm_frames_and_end_after_missed_frames_with_a_stable_id()
    {
        var tracker = new HazardTracker(Settings, "m", "VoidClass", "dev-");
        var events = new List<HazardEvent>();
        for (var f = 0; f < 5; f++)
        {
            tracker.Update(f, T0.AddMilliseconds(100 * f), 100, 100, [At(10 + f, 0.9f)], events);
        }

        var created = Assert.Single(events);
        Assert.Equal(HazardEventType.New, created.Type);
        Assert.Equal(2, created.FrameId);
        Assert.Equal("dev-1", created.Id);
        Assert.Single(tracker.Active);

        tracker.Update(5, T0.AddSeconds(1), 100, 100, [], events);
        Assert.Single(events);
        tracker.Update(6, T0.AddSeconds(1.1), 100, 100, [], events);
        Assert.Equal([HazardEventType.New, HazardEventType.End], events.Select(e => e.Type));
        Assert.Equal(created.Id, events[1].Id);
        Assert.Empty(tracker.Active);
    }

    [Fact]
    public void Flicker_shorter_than_confirm_frames_publishes_nothing()
    {
        var tracker = new HazardTracker(Settings, "m", "s", "d-");
        var events = new List<HazardEvent>();
        tracker.Update(0, T0, 100, 100, [At(10, 0.9f)], events);
        tracker.Update(1, T0, 100, 100, [At(10, 0.9f)], events);
        tracker.Update(2, T0, 100, 100, [], events);
        tracker.Update(3, T0, 100, 100, [At(10, 0.9f)], events);
        Assert.Empty(events);
    }

    [Fact]
    public void Updates_are_rate_limited_and_need_a_meaningful_change()
    {
        var tracker = new HazardTracker(Settings with { ConfirmFrames = 1 }, "m", "s", "d-");
        var events = new List<HazardEvent>();
        tracker.Update(0, T0, 200, 200, [At(10, 0.5f)], events);
        tracker.Update(1, T0.AddSeconds(0.5), 200, 200, [At(10, 0.9f)], events);  // changed, too soon
        tracker.Update(2, T0.AddSeconds(1.5), 200, 200, [At(11, 0.52f)], events); // late enough but (vs published 0.5, same box) unchanged? score +0.02, IoU high
        Assert.Single(events);
        tracker.Update(3, T0.AddSeconds(2.0), 200, 200, [At(12, 0.8f)], events);  // score changed by 0.3
        Assert.Equal([HazardEventType.New, HazardEventType.Update], events.Select(e => e.Type));
        tracker.Update(4, T0.AddSeconds(2.5), 200, 200, [At(30, 0.8f)], events);  // moved, but < 1 s after the update
        Assert.Equal(2, events.Count);
        tracker.Update(5, T0.AddSeconds(3.1), 200, 200, [At(34, 0.8f)], events);  // moved far from the published box
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal("d-1", e.Id));
    }

    [Fact]
    public void Separate_hazards_get_separate_ids_and_end_all_ends_them()
    {
        var tracker = new HazardTracker(Settings with { ConfirmFrames = 1 }, "m", "s", "d-");
        var events = new List<HazardEvent>();
        tracker.Update(0, T0, 200, 200, [At(10, 0.9f), At(120, 0.9f)], events);
        Assert.Equal(["d-1", "d-2"], events.Select(e => e.Id).Order());
        events.Clear();
        tracker.EndAll(0, T0, 200, 200, events);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(HazardEventType.End, e.Type));
    }

    private static Hazard At(int x, float score) => new()
    {
        Bbox = new BoundingBox(x, 20, 40, 40),
        AreaPx = 1600,
        AreaFrac = 0.1,
        ScoreMax = score,
        ScoreMean = score / 2,
        CentroidX = x + 20,
        CentroidY = 40,
        OnRoad = true,
    };
}
