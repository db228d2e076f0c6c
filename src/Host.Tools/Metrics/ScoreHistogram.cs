using System.Buffers;

namespace Host.Tools.Metrics;

/// <summary>
/// Exact, pooled positive/negative counts per distinct float32 score, for AuPRC / FPR95 / AUROC over many images
/// without keeping (score, label) pairs. Each <see cref="Add"/> radix-sorts one image's keys (<see cref="SortableFloat"/>),
/// run-length encodes them into (key, negatives, positives) and merges the run into a small stack of sorted runs
/// (each run at least twice as large as the next, so merging costs O(n log n) overall and memory stays about one copy
/// of the distinct values). Ties are grouped by identical float values, which is exactly scikit-learn's threshold set.
/// Memory: 12 bytes per distinct score value (plus per-image scratch), independent of how often values repeat.
/// Not thread-safe; use one histogram per score.
/// </summary>
public sealed class ScoreHistogram
{
    public const byte Negative = 0;
    public const byte Positive = 1;

    private const int LargeMergeEntries = 1 << 22;
    private readonly List<ScoreRun> _runs = [];
    private uint[] _positives = [];
    private uint[] _negatives = [];
    private uint[] _scratch = [];

    public long TotalPositives { get; private set; }

    public long TotalNegatives { get; private set; }

    /// <summary>Distinct values over all runs (an upper bound until <see cref="ToDistribution"/> merged them).</summary>
    public long StoredEntries => _runs.Sum(r => (long)r.Count);

    /// <summary>Bytes held by the runs and scratch buffers.</summary>
    public long StoredBytes => _runs.Sum(r => (long)r.Keys.Length * 12) + (4L * (_positives.Length + _negatives.Length + _scratch.Length));

    /// <summary>
    /// Adds one image: pixels whose label is <see cref="Positive"/> (anomaly) or <see cref="Negative"/>; any other label is
    /// ignored. <paramref name="source"/> names the image in errors.
    /// </summary>
    /// <exception cref="InvalidDataException">A counted pixel has a NaN score.</exception>
    public void Add(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, string source)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{source}: {scores.Length} scores but {labels.Length} labels; expected one label per score.", nameof(labels));
        }

        Ensure(ref _positives, scores.Length);
        Ensure(ref _negatives, scores.Length);
        var np = 0;
        var nn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var label = labels[i];
            if (label > Positive)
            {
                continue;
            }

            var s = scores[i];
            if (float.IsNaN(s))
            {
                throw new InvalidDataException($"{source}: anomaly score is NaN at pixel {i} (row-major index); scores must be numbers (±Inf is allowed).");
            }

            if (label == Positive)
            {
                _positives[np++] = SortableFloat.ToKey(s);
            }
            else
            {
                _negatives[nn++] = SortableFloat.ToKey(s);
            }
        }

        if (np + nn == 0)
        {
            return;
        }

        Ensure(ref _scratch, Math.Max(np, nn));
        RadixSort.Sort(_positives.AsSpan(0, np), _scratch);
        RadixSort.Sort(_negatives.AsSpan(0, nn), _scratch);
        Push(ScoreRun.FromSorted(_positives.AsSpan(0, np), _negatives.AsSpan(0, nn)));
        TotalPositives += np;
        TotalNegatives += nn;
    }

    /// <summary>Adds counts of another histogram (e.g. a partial result of another thread).</summary>
    public void Add(ScoreHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var run in other._runs)
        {
            Push(run);
        }

        TotalPositives += other.TotalPositives;
        TotalNegatives += other.TotalNegatives;
    }

    /// <summary>Merges every run and returns the distinct scores in ascending order with their counts.</summary>
    public ScoreDistribution ToDistribution()
    {
        while (_runs.Count > 1)
        {
            MergeTop();
        }

        _positives = [];
        _negatives = [];
        _scratch = [];
        var run = _runs.Count == 1 ? _runs[0] : ScoreRun.Empty;
        return new ScoreDistribution(run.Keys.AsMemory(0, run.Count), run.Negatives.AsMemory(0, run.Count), run.Positives.AsMemory(0, run.Count));
    }

    private void Push(ScoreRun run)
    {
        _runs.Add(run);
        while (_runs.Count > 1 && _runs[^2].Count <= 2 * _runs[^1].Count)
        {
            MergeTop();
        }
    }

    private void MergeTop()
    {
        var b = _runs[^1];
        var a = _runs[^2];
        _runs.RemoveRange(_runs.Count - 2, 2);
        _runs.Add(ScoreRun.Merge(a, b));
        if (a.Count + b.Count >= LargeMergeEntries)
        {
            // The two inputs (tens of MB on the LOH) are garbage now; without a collection the process keeps several
            // generations of them and the working set grows to a multiple of the live histogram. Rare: sizes double.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    private static void Ensure(ref uint[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new uint[length];
        }
    }

    private sealed class ScoreRun
    {
        public static readonly ScoreRun Empty = new([], [], [], 0);

        private ScoreRun(uint[] keys, uint[] negatives, uint[] positives, int count)
        {
            Keys = keys;
            Negatives = negatives;
            Positives = positives;
            Count = count;
        }

        public uint[] Keys { get; }

        public uint[] Negatives { get; }

        public uint[] Positives { get; }

        public int Count { get; }

        public static ScoreRun FromSorted(ReadOnlySpan<uint> positives, ReadOnlySpan<uint> negatives)
        {
            var capacity = DistinctUpperBound(positives) + DistinctUpperBound(negatives);
            var keys = new uint[capacity];
            var neg = new uint[capacity];
            var pos = new uint[capacity];
            int i = 0, j = 0, n = 0;
            while (i < positives.Length || j < negatives.Length)
            {
                var key = j >= negatives.Length || (i < positives.Length && positives[i] <= negatives[j]) ? positives[i] : negatives[j];
                uint p = 0, q = 0;
                while (i < positives.Length && positives[i] == key)
                {
                    p++;
                    i++;
                }

                while (j < negatives.Length && negatives[j] == key)
                {
                    q++;
                    j++;
                }

                keys[n] = key;
                pos[n] = p;
                neg[n] = q;
                n++;
            }

            return Trim(keys, neg, pos, n);
        }

        public static ScoreRun Merge(ScoreRun a, ScoreRun b)
        {
            var capacity = a.Count + b.Count;
            var keys = new uint[capacity];
            var neg = new uint[capacity];
            var pos = new uint[capacity];
            int i = 0, j = 0, n = 0;
            while (i < a.Count || j < b.Count)
            {
                if (j >= b.Count || (i < a.Count && a.Keys[i] < b.Keys[j]))
                {
                    keys[n] = a.Keys[i];
                    neg[n] = a.Negatives[i];
                    pos[n] = a.Positives[i];
                    i++;
                }
                else if (i >= a.Count || b.Keys[j] < a.Keys[i])
                {
                    keys[n] = b.Keys[j];
                    neg[n] = b.Negatives[j];
                    pos[n] = b.Positives[j];
                    j++;
                }
                else
                {
                    keys[n] = a.Keys[i];
                    neg[n] = checked(a.Negatives[i] + b.Negatives[j]);
                    pos[n] = checked(a.Positives[i] + b.Positives[j]);
                    i++;
                    j++;
                }

                n++;
            }

            return Trim(keys, neg, pos, n);
        }

        private static int DistinctUpperBound(ReadOnlySpan<uint> sorted)
        {
            if (sorted.IsEmpty)
            {
                return 0;
            }

            var n = 1;
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i] != sorted[i - 1])
                {
                    n++;
                }
            }

            return n;
        }

        private static ScoreRun Trim(uint[] keys, uint[] neg, uint[] pos, int n)
        {
            if (n == keys.Length)
            {
                return new ScoreRun(keys, neg, pos, n);
            }

            return new ScoreRun(keys.AsSpan(0, n).ToArray(), neg.AsSpan(0, n).ToArray(), pos.AsSpan(0, n).ToArray(), n);
        }
    }
}
