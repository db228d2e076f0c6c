using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Edge.Runtime.Alerts;
using Edge.Runtime.IO;
using Edge.Runtime.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Alerts;

public sealed class FileAlertQueueTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);
    private readonly string _dir = TestPaths.NewTempDirectory();
    private readonly ITestOutputHelper _output;

    public FileAlertQueueTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private AlertQueueSettings Settings(long maxBytes = AlertQueueSettings.DefaultMaxBytes, long compaction = AlertQueueSettings.DefaultCompactionThresholdBytes) =>
        new() { Directory = _dir, MaxBytes = maxBytes, CompactionThresholdBytes = compaction };

    private static async Task<List<(long Seq, string Id, string Type, long Frame)>> DrainAsync(FileAlertQueue queue, bool acknowledge)
    {
        var got = new List<(long, string, string, long)>();
        var seen = new HashSet<long>();
        while (queue.TryPeek() is { } item && seen.Add(item.Sequence))
        {
            using var doc = JsonDocument.Parse(item.Payload);
            var root = doc.RootElement;
            Assert.Equal(item.Sequence, root.GetProperty("seq").GetInt64());
            got.Add((item.Sequence, root.GetProperty("id").GetString()!, root.GetProperty("type").GetString()!, root.GetProperty("frame_id").GetInt64()));
            if (!acknowledge)
            {
                break;
            }

            await queue.AcknowledgeAsync(item.Sequence, CancellationToken.None);
        }

        return got;
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(Crc32.Compute("123456789"u8), Crc32.Append(Crc32.Compute("1234"u8), "56789"u8));
    }

    [Fact]
    public async Task Reopen_keeps_pending_events_in_the_same_order()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 20; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }
        }

        using var reopened = FileAlertQueue.Open(Settings());
        Assert.Equal(20, reopened.PendingCount);
        var got = await DrainAsync(reopened, acknowledge: true);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), got.Select(g => g.Seq));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 1000L + i), got.Select(g => g.Frame));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => TestEvents.Make(i).Id), got.Select(g => g.Id));
    }

    [Fact]
    public async Task A_frames_events_are_stored_with_one_fsync_in_order_and_survive_reopen()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
            Assert.Equal(1, queue.Syncs);
            await queue.EnqueueAsync([.. Enumerable.Range(1, 10).Select(i => TestEvents.Make(i))], CancellationToken.None);
            Assert.Equal(2, queue.Syncs); // one for the single event, one for the group of 10
            Assert.Equal(11, queue.PendingCount);
            await queue.EnqueueAsync([TestEvents.Make(11)], CancellationToken.None);
            await queue.EnqueueAsync([], CancellationToken.None);
            Assert.Equal(3, queue.Syncs);
        }

        using var reopened = FileAlertQueue.Open(Settings());
        var got = await DrainAsync(reopened, acknowledge: true);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), got.Select(g => g.Seq));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => TestEvents.Make(i).Id), got.Select(g => g.Id));
    }

    [Fact]
    public async Task A_group_too_large_for_the_space_left_is_stored_one_by_one_as_space_frees()
    {
        var one = 8 + 8 + HazardEventJson.Serialize(TestEvents.Make(1), 1).Length;
        var count = (4096 / one) + 5; // more than the smallest queue holds at once
        using var queue = FileAlertQueue.Open(Settings(maxBytes: 4096, compaction: 1));
        var store = queue.EnqueueAsync([.. Enumerable.Range(1, count).Select(i => TestEvents.Make(i))], CancellationToken.None).AsTask();
        var got = new List<long>();
        var deadline = Stopwatch.StartNew();
        while (got.Count < count && deadline.Elapsed < Bounded)
        {
            if (queue.TryPeek() is { } item)
            {
                got.Add(item.Sequence);
                await queue.AcknowledgeAsync(item.Sequence, CancellationToken.None);
            }
            else
            {
                await Task.Delay(5);
            }
        }

        await store.WaitAsync(Bounded);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), got);
    }

    [Fact]
    public async Task Acknowledged_events_are_never_handed_out_again_after_reopen()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 10; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }

            await queue.AcknowledgeAsync(4, CancellationToken.None);
            Assert.Equal(5, queue.TryPeek()!.Sequence);
        }

        using (var reopened = FileAlertQueue.Open(Settings()))
        {
            Assert.Equal(6, reopened.PendingCount);
            Assert.Equal(5, reopened.TryPeek()!.Sequence);
            await reopened.AcknowledgeAsync(7, CancellationToken.None);
            await reopened.EnqueueAsync(TestEvents.Make(10), CancellationToken.None);
        }

        using var third = FileAlertQueue.Open(Settings());
        var got = await DrainAsync(third, acknowledge: true);
        Assert.Equal([8L, 9, 10, 11], got.Select(g => g.Seq));
        Assert.Equal(1010, got[^1].Frame);
    }

    [Fact]
    public async Task Torn_tail_record_is_truncated_with_a_warning_and_earlier_events_survive()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 5; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }
        }

        var journal = Path.Combine(_dir, FileAlertQueue.JournalFileName);
        var intact = new FileInfo(journal).Length;

        // A crash mid-write: a length prefix promising 400 bytes, a CRC and only part of the body.
        var torn = new byte[8 + 100];
        BinaryPrimitives.WriteInt32LittleEndian(torn, 400);
        BinaryPrimitives.WriteUInt32LittleEndian(torn.AsSpan(4), 0xDEADBEEF);
        using (var s = new FileStream(journal, FileMode.Append))
        {
            s.Write(torn);
        }

        var logger = new CapturingLogger();
        using (var reopened = FileAlertQueue.Open(Settings(), new Logger<FileAlertQueue>(new LoggerFactory([logger]))))
        {
            Assert.Equal(5, reopened.PendingCount);
            Assert.Equal(intact, new FileInfo(journal).Length);
            Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("truncated 108 byte(s)", StringComparison.Ordinal));
            await reopened.EnqueueAsync(TestEvents.Make(5), CancellationToken.None);
        }

        using var third = FileAlertQueue.Open(Settings());
        var got = await DrainAsync(third, acknowledge: true);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), got.Select(g => g.Seq));
    }

    [Fact]
    public async Task Record_with_a_flipped_byte_fails_its_CRC_and_only_that_record_is_set_aside()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 4; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }
        }

        // Walk the documented layout independently to find record 3 and flip one byte of its JSON.
        var journal = Path.Combine(_dir, FileAlertQueue.JournalFileName);
        var bytes = File.ReadAllBytes(journal);
        Assert.Equal("ESAQ"u8.ToArray(), bytes[..4]);
        var offset = 32;
        for (var r = 1; r < 3; r++)
        {
            var len = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            Assert.Equal(Crc32.Compute(bytes.AsSpan(offset + 8, len)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)));
            Assert.Equal(r, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + 8)));
            offset += 8 + len;
        }

        bytes[offset + 8 + 8 + 5] ^= 0x20;
        File.WriteAllBytes(journal, bytes);

        var logger = new CapturingLogger();
        using var reopened = FileAlertQueue.Open(Settings(), new Logger<FileAlertQueue>(new LoggerFactory([logger])));
        var got = await DrainAsync(reopened, acknowledge: true);
        Assert.Equal([1L, 2, 4], got.Select(g => g.Seq));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("CRC mismatch at offset " + offset, StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(_dir, FileAlertQueue.JournalFileName + ".corrupt-*"));
    }

    [Fact]
    public async Task Torn_acknowledgement_is_ignored_and_the_previous_one_holds()
    {
        using (var queue = FileAlertQueue.Open(Settings()))
        {
            for (var i = 0; i < 6; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }

            await queue.AcknowledgeAsync(2, CancellationToken.None);
        }

        using (var s = new FileStream(Path.Combine(_dir, FileAlertQueue.AcksFileName), FileMode.Append))
        {
            s.Write(new byte[] { 5, 0, 0, 0, 0, 0, 0 }); // 7 of the 12 bytes of "ack 5"
        }

        using var reopened = FileAlertQueue.Open(Settings());
        Assert.Equal(3, reopened.TryPeek()!.Sequence);
        Assert.Equal(12, new FileInfo(Path.Combine(_dir, FileAlertQueue.AcksFileName)).Length);
    }

    [Fact]
    public async Task Corrupt_header_never_crashes_startup_and_the_file_is_set_aside()
    {
        File.WriteAllBytes(Path.Combine(_dir, FileAlertQueue.JournalFileName), "garbage that is not a journal"u8.ToArray());
        var logger = new CapturingLogger();
        using var queue = FileAlertQueue.Open(Settings(), new Logger<FileAlertQueue>(new LoggerFactory([logger])));
        Assert.Equal(0, queue.PendingCount);
        Assert.Single(Directory.GetFiles(_dir, FileAlertQueue.JournalFileName + ".corrupt-*"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        Assert.Equal(1, queue.TryPeek()!.Sequence);
    }

    [Fact]
    public async Task Compacts_the_journal_when_everything_is_acknowledged_and_sequence_numbers_continue()
    {
        using (var queue = FileAlertQueue.Open(Settings(compaction: 0)))
        {
            for (var i = 0; i < 8; i++)
            {
                await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            }

            Assert.True(queue.JournalBytes > 8 * 200);
            await queue.AcknowledgeAsync(8, CancellationToken.None);
            Assert.Equal(FileAlertQueue.HeaderSize, queue.JournalBytes);
            Assert.Equal(FileAlertQueue.HeaderSize, new FileInfo(Path.Combine(_dir, FileAlertQueue.JournalFileName)).Length);
            Assert.Equal(FileAlertQueue.AckRecordSize, new FileInfo(Path.Combine(_dir, FileAlertQueue.AcksFileName)).Length);
        }

        using var reopened = FileAlertQueue.Open(Settings(compaction: 0));
        Assert.Null(reopened.TryPeek());
        await reopened.EnqueueAsync(TestEvents.Make(8), CancellationToken.None);
        Assert.Equal(9, reopened.TryPeek()!.Sequence);
    }

    [Fact]
    public async Task Enqueue_waits_when_full_and_resumes_after_acknowledgement_without_dropping()
    {
        using var queue = FileAlertQueue.Open(Settings(maxBytes: 4096, compaction: 4096));
        var stored = 0;
        while (true)
        {
            // EnqueueAsync appends (fsync included) synchronously; it returns an incomplete task only when it waits for space.
            var pending = queue.EnqueueAsync(TestEvents.Make(stored), CancellationToken.None).AsTask();
            if (!pending.IsCompleted)
            {
                // Full: the producer is held back, nothing is dropped.
                Assert.InRange(stored, 5, 20);
                Assert.Equal(stored, queue.PendingCount);
                await queue.AcknowledgeAsync(2, CancellationToken.None);
                await pending.WaitAsync(Bounded);
                break;
            }

            stored++;
        }

        Assert.True(queue.JournalBytes <= 4096);
        var got = await DrainAsync(queue, acknowledge: true);
        Assert.Equal(Enumerable.Range(3, stored - 1).Select(i => (long)i), got.Select(g => g.Seq));
        Assert.Equal(1000L + stored, got[^1].Frame);
    }

    [Fact]
    public async Task Cancelled_wait_while_full_stores_nothing()
    {
        using var queue = FileAlertQueue.Open(Settings(maxBytes: 4096));
        var stored = 0;
        using var cts = new CancellationTokenSource();
        while (true)
        {
            var pending = queue.EnqueueAsync(TestEvents.Make(stored), cts.Token).AsTask();
            if (!pending.IsCompleted)
            {
                await Task.Delay(100);
                Assert.False(pending.IsCompleted, "a full queue keeps the producer waiting");
                await cts.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Bounded));
                break;
            }

            stored++;
        }

        Assert.Equal(stored, queue.PendingCount);
    }

    [Fact]
    public void A_second_instance_on_the_same_directory_is_refused_until_the_first_is_disposed()
    {
        var first = FileAlertQueue.Open(Settings());
        var ex = Assert.Throws<AlertQueueLockedException>(() => FileAlertQueue.Open(Settings()));
        Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
        Assert.Contains("queue.directory", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId} ", ex.Message, StringComparison.Ordinal);
        first.Dispose();
        using var second = FileAlertQueue.Open(Settings());
        Assert.Equal(0, second.PendingCount);
    }

    [Fact]
    public async Task PeekAsync_waits_for_the_next_event()
    {
        using var queue = FileAlertQueue.Open(Settings());
        var peek = queue.PeekAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(peek.IsCompleted);
        await queue.EnqueueAsync(TestEvents.Make(0), CancellationToken.None);
        var item = await peek.WaitAsync(Bounded);
        Assert.Equal(1, item.Sequence);
    }

    [Fact]
    public async Task Enqueue_latency_with_fsync_is_reported()
    {
        using var queue = FileAlertQueue.Open(Settings());
        const int n = 200;
        var samples = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await queue.EnqueueAsync(TestEvents.Make(i), CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        Array.Sort(samples);
        _output.WriteLine($"enqueue+fsync over {n}: p50 {samples[n / 2]:F3} ms, p99 {samples[(int)(n * 0.99)]:F3} ms, max {samples[^1]:F3} ms");
        Assert.Equal(n, queue.PendingCount);
        Assert.True(samples[n / 2] < 100, $"median enqueue {samples[n / 2]} ms");
    }
}
