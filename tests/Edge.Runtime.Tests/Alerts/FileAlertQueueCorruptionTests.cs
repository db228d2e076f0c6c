using System.Buffers.Binary;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.IO;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Edge.Runtime.Tests.Alerts;

/// <summary>
/// Flipped bytes in a pending record, an acknowledged record, the header and the acknowledgement log: every intact record
/// survives, sequence numbers are never reused, damaged bytes are moved aside and reported. The journal layout is walked
/// independently here (32-byte header, then <c>[u32 length][u32 CRC][u64 seq + JSON]</c>).
/// </summary>
public sealed class FileAlertQueueCorruptionTests : IDisposable
{
    private const int Header = 32;
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly CapturingLogger _log = new();
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FileAlertQueueCorruptionTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string JournalPath => Path.Combine(_dir, FileAlertQueue.JournalFileName);

    private AlertQueueSettings Settings(long compaction = AlertQueueSettings.DefaultCompactionThresholdBytes) =>
        new() { Directory = _dir, CompactionThresholdBytes = compaction };

    private FileAlertQueue Open() => FileAlertQueue.Open(Settings(), new Logger<FileAlertQueue>(new LoggerFactory([_log])));

    /// <summary>Stores events 0..count-1 (seq 1..count) and acknowledges up to <paramref name="acked"/>; returns each seq's payload.</summary>
    private async Task<Dictionary<long, string>> FillAsync(int count, long acked, long compaction = AlertQueueSettings.DefaultCompactionThresholdBytes)
    {
        var payloads = new Dictionary<long, string>();
        using var queue = FileAlertQueue.Open(Settings(compaction));
        for (var i = 0; i < count; i++)
        {
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
        }

        for (var seq = 1L; seq <= count; seq++)
        {
            payloads[seq] = System.Text.Encoding.UTF8.GetString(HazardEventJson.Serialize(TestEvents.Make((int)seq - 1), seq));
        }

        if (acked > 0)
        {
            await queue.AcknowledgeAsync(acked, CancellationToken.None);
        }

        return payloads;
    }

    /// <summary>(seq, offset, total length) of every record, walked from the documented layout.</summary>
    private static List<(long Seq, int Offset, int Length)> Records(byte[] journal)
    {
        var list = new List<(long, int, int)>();
        for (var offset = Header; offset < journal.Length;)
        {
            var len = BinaryPrimitives.ReadInt32LittleEndian(journal.AsSpan(offset));
            Assert.Equal(Crc32.Compute(journal.AsSpan(offset + 8, len)), BinaryPrimitives.ReadUInt32LittleEndian(journal.AsSpan(offset + 4)));
            list.Add((BinaryPrimitives.ReadInt64LittleEndian(journal.AsSpan(offset + 8)), offset, 8 + len));
            offset += 8 + len;
        }

        return list;
    }

    private void Flip(int offset, byte mask = 0x20)
    {
        var bytes = File.ReadAllBytes(JournalPath);
        bytes[offset] ^= mask;
        File.WriteAllBytes(JournalPath, bytes);
    }

    private static async Task<List<(long Seq, string Payload)>> DrainAsync(FileAlertQueue queue)
    {
        var got = new List<(long, string)>();
        while (queue.TryPeek() is { } item)
        {
            got.Add((item.Sequence, System.Text.Encoding.UTF8.GetString(item.Payload.Span)));
            await queue.AcknowledgeAsync(item.Sequence, CancellationToken.None);
        }

        return got;
    }

    private static async Task<long> EnqueueOneAsync(FileAlertQueue queue, int index)
    {
        await queue.EnqueueAsync(TestEvents.Make(index), CancellationToken.None);
        long last = 0;
        while (queue.TryPeek() is { } item)
        {
            last = item.Sequence;
            await queue.AcknowledgeAsync(item.Sequence, CancellationToken.None);
        }

        return last;
    }

    private string[] CorruptFiles(string name) => Directory.GetFiles(_dir, name + ".corrupt-*");

    [Fact]
    public async Task Flipped_byte_in_a_pending_record_loses_only_that_record_and_the_ones_after_it_survive()
    {
        var payloads = await FillAsync(10, acked: 0);
        var victim = Records(File.ReadAllBytes(JournalPath))[3]; // seq 4
        Flip(victim.Offset + 8 + 8 + 12);

        using var queue = Open();
        Assert.Equal(1, queue.CorruptionsRecovered);
        Assert.Equal(victim.Length, queue.CorruptBytes);
        var got = await DrainAsync(queue);
        Assert.Equal([1L, 2, 3, 5, 6, 7, 8, 9, 10], got.Select(g => g.Seq));
        Assert.All(got, g => Assert.Equal(payloads[g.Seq], g.Payload));
        var aside = Assert.Single(CorruptFiles(FileAlertQueue.JournalFileName));
        Assert.Equal(victim.Length, new FileInfo(aside).Length);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("CRC mismatch at offset " + victim.Offset, StringComparison.Ordinal));
        Assert.Equal(11, await EnqueueOneAsync(queue, 10));
    }

    [Fact]
    public async Task Flipped_byte_in_an_acknowledged_record_never_makes_new_events_reuse_its_numbers()
    {
        await FillAsync(10, acked: 7);
        Flip(Records(File.ReadAllBytes(JournalPath))[2].Offset + 8 + 8 + 3); // seq 3, acknowledged

        using (var queue = Open())
        {
            Assert.Equal(3, queue.PendingCount);
            var got = await DrainAsync(queue);
            Assert.Equal([8L, 9, 10], got.Select(g => g.Seq));
            Assert.Equal(11, await EnqueueOneAsync(queue, 10));
        }

        using var reopened = Open();
        Assert.Equal(12, await EnqueueOneAsync(reopened, 11));
    }

    [Fact]
    public async Task Damaged_last_record_is_never_renumbered_even_after_a_restart_without_new_events()
    {
        await FillAsync(5, acked: 0);
        var last = Records(File.ReadAllBytes(JournalPath))[^1]; // seq 5: stored, maybe already delivered
        Flip(last.Offset + 8 + 8 + 20);

        using (var queue = Open())
        {
            Assert.Equal(4, queue.PendingCount);
        }

        // The raised floor is in the rewritten header: a second restart (no record above 4 left) still does not reuse 5.
        using var reopened = Open();
        Assert.Equal(0, reopened.CorruptionsRecovered);
        Assert.Equal([1L, 2, 3, 4], (await DrainAsync(reopened)).Select(g => g.Seq));
        Assert.True(await EnqueueOneAsync(reopened, 5) > 5);
    }

    [Fact]
    public async Task Flipped_byte_in_the_header_keeps_every_pending_record_and_the_numbering()
    {
        var payloads = await FillAsync(10, acked: 3);
        Flip(9); // inside the base sequence: the header CRC fails

        using var queue = Open();
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("header invalid", StringComparison.Ordinal));
        var aside = Assert.Single(CorruptFiles(FileAlertQueue.JournalFileName));
        Assert.Equal(Header, new FileInfo(aside).Length);
        var got = await DrainAsync(queue);
        Assert.Equal([4L, 5, 6, 7, 8, 9, 10], got.Select(g => g.Seq));
        Assert.All(got, g => Assert.Equal(payloads[g.Seq], g.Payload));
        Assert.Equal(11, await EnqueueOneAsync(queue, 10));
    }

    [Fact]
    public async Task Bad_header_of_a_compacted_journal_continues_numbering_from_the_acknowledgement_log()
    {
        await FillAsync(10, acked: 10, compaction: 0);
        Assert.Equal(Header, new FileInfo(JournalPath).Length); // compacted: header only, numbers live in header and ack log
        Flip(2);

        using var queue = Open();
        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(11, await EnqueueOneAsync(queue, 10));
    }

    [Fact]
    public async Task Corrupt_acknowledgement_record_falls_back_to_the_previous_one_and_is_set_aside()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 10; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }

            await queue.AcknowledgeAsync(2, CancellationToken.None);
            await queue.AcknowledgeAsync(5, CancellationToken.None);
            await queue.AcknowledgeAsync(6, CancellationToken.None);
        }

        var acks = Path.Combine(_dir, FileAlertQueue.AcksFileName);
        var bytes = File.ReadAllBytes(acks);
        Assert.Equal(36, bytes.Length);
        bytes[12 + 9] ^= 0x01; // CRC of "ack 5"
        bytes[24 + 0] ^= 0x04; // sequence of "ack 6": 6 ^ 4 = 2, caught by its CRC
        File.WriteAllBytes(acks, bytes);

        using var reopened = Open();
        Assert.Equal(1, reopened.CorruptionsRecovered);
        Assert.Single(CorruptFiles(FileAlertQueue.AcksFileName));
        var got = await DrainAsync(reopened);
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9, 10], got.Select(g => g.Seq)); // redelivered, never lost
        Assert.Equal(11, await EnqueueOneAsync(reopened, 10));
    }

    /// <summary>A journal as written before version 2 (24-byte header, base sequence, CRC of bytes 0..16), built byte by byte here.</summary>
    private static byte[] VersionOneJournal(long baseSequence, IEnumerable<long> sequences)
    {
        var bytes = new List<byte>();
        var header = new byte[24];
        "ESAQ"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), baseSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32.Compute(header.AsSpan(0, 16)));
        bytes.AddRange(header);
        foreach (var seq in sequences)
        {
            var json = HazardEventJson.Serialize(TestEvents.Make((int)seq - 1), seq);
            var record = new byte[16 + json.Length];
            BinaryPrimitives.WriteInt32LittleEndian(record, 8 + json.Length);
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), seq);
            json.CopyTo(record, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(8)));
            bytes.AddRange(record);
        }

        return [.. bytes];
    }

    [Fact]
    public async Task Version_one_journal_from_before_the_upgrade_keeps_its_events_and_numbering()
    {
        // Compacted once at 41 (everything below acknowledged), 41..45 stored, no ack log (lost): 41..45 pending.
        File.WriteAllBytes(JournalPath, VersionOneJournal(41, [41, 42, 43, 44, 45]));
        using (var queue = Open())
        {
            Assert.Equal(0, queue.CorruptionsRecovered);
            var got = await DrainAsync(queue);
            Assert.Equal([41L, 42, 43, 44, 45], got.Select(g => g.Seq));
            Assert.Equal(46, await EnqueueOneAsync(queue, 45));
        }

        var bytes = File.ReadAllBytes(JournalPath);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4))); // rewritten as version 2
        using var reopened = Open();
        Assert.Equal(47, await EnqueueOneAsync(reopened, 46));
    }

    [Fact]
    public void Recovery_time_of_a_large_journal_intact_and_damaged_is_reported()
    {
        // 20,000 records (~5.7 MB) written directly in the documented layout; opened intact (version 2), as version 1
        // (rewritten), with one bad record in the middle and with 1 MiB of garbage in the middle (byte-by-byte resync),
        // interleaved three times.
        const int count = 20_000;
        var intact = VersionOneJournal(1, Enumerable.Range(1, count).Select(i => (long)i));
        var middle = 24 + ((intact.Length - 24) / 2);
        var oneBad = (byte[])intact.Clone();
        oneBad[middle] ^= 0x40;
        var garbage = new byte[intact.Length + (1 << 20)];
        intact.AsSpan(0, middle).CopyTo(garbage);
        new Random(7).NextBytes(garbage.AsSpan(middle, 1 << 20));
        intact.AsSpan(middle).CopyTo(garbage.AsSpan(middle + (1 << 20)));
        File.WriteAllBytes(JournalPath, intact);
        FileAlertQueue.Open(Settings()).Dispose();
        var current = File.ReadAllBytes(JournalPath); // the same records after the version 2 rewrite
        var times = new Dictionary<string, List<double>> { ["intact v2"] = [], ["v1 (rewritten)"] = [], ["one bad record"] = [], ["1 MiB garbage"] = [] };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, bytes) in new[] { ("intact v2", current), ("v1 (rewritten)", intact), ("one bad record", oneBad), ("1 MiB garbage", garbage) })
            {
                foreach (var f in Directory.GetFiles(_dir))
                {
                    File.Delete(f);
                }

                File.WriteAllBytes(JournalPath, bytes);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                using var queue = FileAlertQueue.Open(Settings());
                times[name].Add(sw.Elapsed.TotalMilliseconds);
                Assert.Equal(name.StartsWith("intact", StringComparison.Ordinal) || name.StartsWith("v1", StringComparison.Ordinal) ? count : count - 1, queue.PendingCount); // only the record that was hit is lost
            }
        }

        var load = File.ReadAllText("/proc/loadavg").Trim();
        _output.WriteLine($"open {count} records ({intact.Length / 1e6:F1} MB), median of 3, load {load}: " +
            string.Join(", ", times.Select(t => $"{t.Key} {t.Value.Order().ElementAt(1):F0} ms")));
    }

    [Fact]
    public async Task Any_single_flipped_byte_loses_at_most_the_record_it_hit_and_never_reuses_a_number()
    {
        var random = new Random(1313);
        for (var trial = 0; trial < 40; trial++)
        {
            foreach (var f in Directory.GetFiles(_dir))
            {
                File.Delete(f);
            }

            var acked = random.Next(0, 12);
            var payloads = await FillAsync(12, acked);
            var journal = File.ReadAllBytes(JournalPath);
            var records = Records(journal);
            var at = random.Next(0, journal.Length);
            var mask = (byte)(1 << random.Next(0, 8));
            Flip(at, mask);
            var hit = records.Where(r => at >= r.Offset && at < r.Offset + r.Length).Select(r => r.Seq).DefaultIfEmpty(0).Single();
            var expected = records.Select(r => r.Seq).Where(s => s > acked && s != hit).ToList();

            using var queue = Open();
            var got = await DrainAsync(queue);
            Assert.True(expected.SequenceEqual(got.Select(g => g.Seq)), $"trial {trial}: byte {at} ^ {mask}, acked {acked}, hit {hit}: expected [{string.Join(",", expected)}], got [{string.Join(",", got.Select(g => g.Seq))}]");
            Assert.All(got, g => Assert.Equal(payloads[g.Seq], g.Payload));
            var next = await EnqueueOneAsync(queue, 12);
            Assert.True(next > 12, $"trial {trial}: byte {at} ^ {mask}: sequence {next} reused");
        }
    }
}
