namespace Host.Tools.Metrics;

/// <summary>LSD radix sort of uint keys in three passes of 11/11/10 bits (stable, O(n), one scratch buffer).</summary>
internal static class RadixSort
{
    public static void Sort(Span<uint> keys, Span<uint> scratch)
    {
        if (keys.Length < 2)
        {
            return;
        }

        if (scratch.Length < keys.Length)
        {
            throw new ArgumentException($"Scratch buffer too small: {scratch.Length} < {keys.Length}.", nameof(scratch));
        }

        Span<int> counts = stackalloc int[2048];
        var source = keys;
        var target = scratch[..keys.Length];
        for (var shift = 0; shift < 32; shift += 11)
        {
            var bits = Math.Min(11, 32 - shift);
            var mask = (1u << bits) - 1;
            var buckets = counts[..(1 << bits)];
            buckets.Clear();
            foreach (var k in source)
            {
                buckets[(int)((k >> shift) & mask)]++;
            }

            // Skip a pass where every key falls into one bucket (common for the high bits of a narrow score range).
            if (buckets[(int)((source[0] >> shift) & mask)] == source.Length)
            {
                continue;
            }

            var sum = 0;
            for (var b = 0; b < buckets.Length; b++)
            {
                var c = buckets[b];
                buckets[b] = sum;
                sum += c;
            }

            foreach (var k in source)
            {
                target[buckets[(int)((k >> shift) & mask)]++] = k;
            }

            var swap = source;
            source = target;
            target = swap;
        }

        if (source != keys)
        {
            source.CopyTo(keys);
        }
    }
}
