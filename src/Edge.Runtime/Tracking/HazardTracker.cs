using Edge.Runtime.Alerts;
using Edge.Runtime.Hazards;

namespace Edge.Runtime.Tracking;

/// <summary>
/// Follows hazards across frames by greedy IoU matching. A hazard seen in <c>confirm_frames</c> consecutive frames
/// becomes a track with a stable id and a <c>new</c> event; <c>update</c> events are rate-limited (minimum interval and a
/// meaningful box or score change); <c>end</c> follows <c>end_after_missed_frames</c> misses. Not thread-safe.
/// </summary>
public sealed class HazardTracker
{
    private readonly TrackingSettings _settings;
    private readonly string _model;
    private readonly string _method;
    private readonly string _idPrefix;
    private readonly Func<GeoFix?> _gps;
    private readonly List<Track> _tracks = [];
    private readonly List<(double Iou, int Track, int Hazard)> _pairs = [];
    private readonly HashSet<int> _trackMatched = [];
    private bool[] _hazardMatched = [];
    private long _nextId = 1;

    /// <param name="idPrefix">Prefix of track ids (e.g. device and start time), so ids stay unique across restarts.</param>
    public HazardTracker(TrackingSettings settings, string model, string method, string idPrefix, Func<GeoFix?>? gps = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate("tracking").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        _settings = settings;
        _model = model;
        _method = method;
        _idPrefix = idPrefix;
        _gps = gps ?? (() => null);
    }

    /// <summary>Confirmed hazards after the last <see cref="Update"/>.</summary>
    public IReadOnlyList<ActiveHazard> Active =>
        [.. _tracks.Where(t => t.Confirmed).Select(t => new ActiveHazard(t.Id, t.Latest, t.Since, t.LastFrameId))];

    public int ActiveCount => _tracks.Count(t => t.Confirmed);

    /// <summary>Matches one frame's hazards and appends the resulting events to <paramref name="events"/>.</summary>
    public void Update(long frameId, DateTimeOffset timestamp, int frameWidth, int frameHeight, IReadOnlyList<Hazard> hazards, List<HazardEvent> events)
    {
        ArgumentNullException.ThrowIfNull(hazards);
        ArgumentNullException.ThrowIfNull(events);
        Match(hazards, frameId);
        var frameArea = (double)frameWidth * frameHeight;

        for (var t = _tracks.Count - 1; t >= 0; t--)
        {
            var track = _tracks[t];
            if (track.LastFrameId == frameId)
            {
                continue;
            }

            track.Misses++;
            if (!track.Confirmed)
            {
                _tracks.RemoveAt(t);
            }
            else if (track.Misses >= _settings.EndAfterMissedFrames)
            {
                events.Add(ToEvent(track, HazardEventType.End, frameId, timestamp, frameArea));
                _tracks.RemoveAt(t);
            }
        }

        foreach (var track in _tracks.Where(t => t.LastFrameId == frameId))
        {
            if (!track.Confirmed)
            {
                if (track.Hits >= _settings.ConfirmFrames)
                {
                    track.Confirmed = true;
                    track.Id = $"{_idPrefix}{_nextId++}";
                    track.Since = timestamp;
                    Publish(track, HazardEventType.New, frameId, timestamp, frameArea, events);
                }

                continue;
            }

            var interval = (timestamp - track.PublishedAt).TotalSeconds;
            var moved = track.Latest.Bbox.IoU(track.Published.Bbox) < _settings.UpdateMaxIou;
            var rescored = Math.Abs(track.Latest.ScoreMax - track.Published.ScoreMax) >= _settings.UpdateMinScoreChange;
            if (interval >= _settings.UpdateMinIntervalSeconds && (moved || rescored))
            {
                Publish(track, HazardEventType.Update, frameId, timestamp, frameArea, events);
            }
        }

        for (var h = 0; h < hazards.Count; h++)
        {
            if (!_hazardMatched[h])
            {
                var track = new Track { Latest = hazards[h], Hits = 1, LastFrameId = frameId };
                _tracks.Add(track);
                if (_settings.ConfirmFrames == 1)
                {
                    track.Confirmed = true;
                    track.Id = $"{_idPrefix}{_nextId++}";
                    track.Since = timestamp;
                    Publish(track, HazardEventType.New, frameId, timestamp, frameArea, events);
                }
            }
        }
    }

    /// <summary>Ends every confirmed track (end of stream or shutdown) and forgets tentative ones.</summary>
    public void EndAll(long frameId, DateTimeOffset timestamp, int frameWidth, int frameHeight, List<HazardEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var track in _tracks.Where(t => t.Confirmed))
        {
            events.Add(ToEvent(track, HazardEventType.End, frameId, timestamp, (double)frameWidth * frameHeight));
        }

        _tracks.Clear();
    }

    private void Match(IReadOnlyList<Hazard> hazards, long frameId)
    {
        if (_hazardMatched.Length < hazards.Count)
        {
            _hazardMatched = new bool[Math.Max(hazards.Count, 16)];
        }

        Array.Clear(_hazardMatched);
        _pairs.Clear();
        for (var t = 0; t < _tracks.Count; t++)
        {
            for (var h = 0; h < hazards.Count; h++)
            {
                var iou = _tracks[t].Latest.Bbox.IoU(hazards[h].Bbox);
                if (iou >= _settings.MatchIou)
                {
                    _pairs.Add((iou, t, h));
                }
            }
        }

        _pairs.Sort((a, b) => b.Iou.CompareTo(a.Iou));
        var trackMatched = _trackMatched;
        trackMatched.Clear();
        foreach (var (_, t, h) in _pairs)
        {
            if (_hazardMatched[h] || !trackMatched.Add(t))
            {
                continue;
            }

            _hazardMatched[h] = true;
            var track = _tracks[t];
            track.Latest = hazards[h];
            track.Hits++;
            track.Misses = 0;
            track.LastFrameId = frameId;
        }
    }

    private void Publish(Track track, HazardEventType type, long frameId, DateTimeOffset timestamp, double frameArea, List<HazardEvent> events)
    {
        track.Published = track.Latest;
        track.PublishedAt = timestamp;
        events.Add(ToEvent(track, type, frameId, timestamp, frameArea));
    }

    private HazardEvent ToEvent(Track track, HazardEventType type, long frameId, DateTimeOffset timestamp, double frameArea) => new()
    {
        Id = track.Id,
        Type = type,
        Timestamp = timestamp,
        FrameId = frameId,
        Bbox = track.Latest.Bbox,
        AreaPx = track.Latest.AreaPx,
        AreaFrac = frameArea > 0 ? track.Latest.AreaPx / frameArea : track.Latest.AreaFrac,
        ScoreMax = track.Latest.ScoreMax,
        ScoreMean = track.Latest.ScoreMean,
        OnRoad = track.Latest.OnRoad,
        Model = _model,
        Method = _method,
        Gps = _gps(),
    };

    private sealed class Track
    {
        public string Id { get; set; } = string.Empty;

        public Hazard Latest { get; set; }

        public Hazard Published { get; set; }

        public DateTimeOffset PublishedAt { get; set; }

        public DateTimeOffset Since { get; set; }

        public int Hits { get; set; }

        public int Misses { get; set; }

        public bool Confirmed { get; set; }

        public long LastFrameId { get; set; }
    }
}
