using System.Buffers.Binary;
using Edge.Runtime.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Runtime.Alerts;

/// <summary>
/// Durable, bounded, ordered on-disk alert queue (single process; any number of producers, one consumer).
/// <para>
/// <c>alerts.journal</c>: a 24-byte header (magic <c>ESAQ</c>, version, base sequence, CRC) followed by append-only records
/// <c>[u32 body length][u32 CRC-32 of body][body = u64 sequence + hazard JSON]</c> (little-endian). Each record is fsync'd
/// before <see cref="EnqueueAsync"/> returns. <c>alerts.acks</c>: append-only 12-byte records <c>[u64 sequence][u32 CRC]</c>;
/// the last valid one is the cumulative acknowledgement, so acknowledged events are never handed out again after a restart.
/// </para>
/// <para>
/// On open, a torn or corrupt tail (crash mid-write) is detected by length/CRC/sequence checks and truncated with a warning;
/// a corrupt header makes the journal be set aside as <c>alerts.journal.corrupt-*</c> (error logged); startup never throws for
/// damaged files. When everything is acknowledged and the journal reached the compaction threshold, it is rewritten empty
/// (temp + rename); when full, acknowledged records are compacted away first.
/// </para>
/// <para>
/// Full queue = backpressure: <see cref="EnqueueAsync"/> waits until the publisher acknowledges enough events (or the
/// token is cancelled, in which case that event was not stored). Alerts are never dropped or overwritten; the price is
/// that a producer stalls when the broker has been unreachable long enough to fill <see cref="AlertQueueSettings.MaxBytes"/>.
/// </para>
/// </summary>
public sealed class FileAlertQueue : IAlertQueue, IDisposable
{
    public const string JournalFileName = "alerts.journal";
    public const string AcksFileName = "alerts.acks";
    public const string LockFileName = "alerts.lock";

    internal const int HeaderSize = 24;
    internal const int RecordHeaderSize = 8;
    internal const int AckRecordSize = 12;
    private const uint Magic = 0x51415345; // "ESAQ" little-endian
    private const uint Version = 1;

    private readonly AlertQueueSettings _settings;
    private readonly ILogger _logger;
    private readonly string _journalPath;
    private readonly string _acksPath;
    private readonly Lock _gate = new();
    private readonly Queue<Entry> _pending = new();
    private readonly FileStream _lock;
    private FileStream _journal;
    private FileStream _acks;
    private long _journalLength;
    private long _nextSequence;
    private long _acknowledged;
    private bool _fullLogged;
    private bool _disposed;
    private TaskCompletionSource _itemAvailable = NewSignal();
    private TaskCompletionSource _spaceAvailable = NewSignal();

    private FileAlertQueue(AlertQueueSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        System.IO.Directory.CreateDirectory(settings.Directory);
        _journalPath = Path.Combine(settings.Directory, JournalFileName);
        _acksPath = Path.Combine(settings.Directory, AcksFileName);
        _lock = AcquireLock(Path.Combine(settings.Directory, LockFileName));
        long acked, baseSequence;
        List<Entry> records;
        try
        {
            acked = RecoverAcks();
            baseSequence = OpenJournal(acked);
            _journal = OpenJournalStream();
            _acks = new FileStream(_acksPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
            records = ScanJournal(baseSequence);
        }
        catch
        {
            _journal?.Dispose();
            _acks?.Dispose();
            _lock.Dispose();
            throw;
        }

        _acknowledged = Math.Max(acked, baseSequence - 1);
        if (_acknowledged >= _nextSequence)
        {
            _logger.LogWarning("Alert queue {Directory}: acknowledgement log says {Acked} but the journal ends at {Last}; nothing pending", settings.Directory, _acknowledged, _nextSequence - 1);
            _acknowledged = _nextSequence - 1;
        }

        foreach (var r in records.Where(r => r.Sequence > _acknowledged))
        {
            _pending.Enqueue(r);
        }

        _logger.LogInformation("Alert queue {Directory}: {Pending} pending event(s), next sequence {Next}", settings.Directory, _pending.Count, _nextSequence);
    }

    public string Directory => _settings.Directory;

    /// <summary>Stored events not yet acknowledged.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Current journal size in bytes (header, acknowledged records not yet compacted, pending records).</summary>
    public long JournalBytes
    {
        get
        {
            lock (_gate)
            {
                return _journalLength;
            }
        }
    }

    /// <summary>Highest acknowledged sequence number (0 when none yet).</summary>
    public long LastAcknowledged
    {
        get
        {
            lock (_gate)
            {
                return _acknowledged;
            }
        }
    }

    /// <summary>Opens (or creates) the queue in <see cref="AlertQueueSettings.Directory"/>, recovering pending events.</summary>
    public static FileAlertQueue Open(AlertQueueSettings settings, ILogger<FileAlertQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return new FileAlertQueue(settings, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Stores <paramref name="hazardEvent"/> durably (fsync'd) with the next sequence number; waits while the queue is full.</summary>
    public async ValueTask EnqueueAsync(HazardEvent hazardEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hazardEvent);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var body = HazardEventJson.Serialize(hazardEvent, _nextSequence);
                var recordSize = RecordHeaderSize + 8 + body.Length;
                if (body.Length > AlertQueueSettings.MaxRecordBytes || HeaderSize + recordSize > _settings.MaxBytes)
                {
                    throw new ArgumentException($"Hazard event '{hazardEvent.Id}': expected a payload of at most {Math.Min(AlertQueueSettings.MaxRecordBytes, _settings.MaxBytes - HeaderSize - RecordHeaderSize - 8)} bytes, got {body.Length}.", nameof(hazardEvent));
                }

                if (_journalLength + recordSize > _settings.MaxBytes && AcknowledgedBytes() > 0)
                {
                    Compact();
                }

                if (_journalLength + recordSize <= _settings.MaxBytes)
                {
                    Append(_nextSequence, body);
                    _fullLogged = false;
                    return;
                }

                if (!_fullLogged)
                {
                    _fullLogged = true;
                    _logger.LogWarning("Alert queue full ({Bytes} of {Max} bytes, {Pending} pending): producer waits for the publisher (nothing is dropped)", _journalLength, _settings.MaxBytes, _pending.Count);
                }

                wait = _spaceAvailable.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The oldest unacknowledged event, or null when none is pending. Does not remove it.</summary>
    public QueuedAlert? TryPeek()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pending.TryPeek(out var entry) ? Read(entry) : null;
        }
    }

    /// <summary>Waits for and returns the oldest unacknowledged event without removing it (call again to get the same one until acknowledged).</summary>
    public async ValueTask<QueuedAlert> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_pending.TryPeek(out var entry))
                {
                    return Read(entry);
                }

                wait = _itemAvailable.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Acknowledges every event up to and including <paramref name="sequence"/> (cumulative, fsync'd). Acknowledging an
    /// already acknowledged sequence is a no-op.
    /// </summary>
    public ValueTask AcknowledgeAsync(long sequence, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (sequence <= _acknowledged)
            {
                return ValueTask.CompletedTask;
            }

            if (sequence >= _nextSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Acknowledged sequence: expected <= {_nextSequence - 1} (last stored), got {sequence}.");
            }

            Span<byte> ack = stackalloc byte[AckRecordSize];
            BinaryPrimitives.WriteInt64LittleEndian(ack, sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(ack[8..], Crc32.Compute(ack[..8]));
            _acks.Write(ack);
            _acks.Flush(flushToDisk: true);
            _acknowledged = sequence;
            while (_pending.TryPeek(out var e) && e.Sequence <= sequence)
            {
                _pending.Dequeue();
            }

            if (_pending.Count == 0 && _journalLength > HeaderSize && _journalLength >= _settings.CompactionThresholdBytes)
            {
                Compact();
            }

            var signal = _spaceAvailable;
            _spaceAvailable = NewSignal();
            signal.TrySetResult();
        }

        return ValueTask.CompletedTask;
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
            _journal.Dispose();
            _acks.Dispose();
            _lock.Dispose();
            _itemAvailable.TrySetException(new ObjectDisposedException(nameof(FileAlertQueue)));
            _spaceAvailable.TrySetException(new ObjectDisposedException(nameof(FileAlertQueue)));
        }
    }

    /// <summary>One queue instance per directory: an exclusive lock (flock) on <c>alerts.lock</c>, released on dispose or process exit.</summary>
    private static FileStream AcquireLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Alert queue {Path.GetDirectoryName(path)}: expected exclusive use, but it is already open (another edgeseg process or queue instance holds {path}).", ex);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long AcknowledgedBytes() => (_pending.TryPeek(out var first) ? first.Offset : _journalLength) - HeaderSize;

    private void Append(long sequence, byte[] json)
    {
        var record = new byte[RecordHeaderSize + 8 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, 8 + json.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(RecordHeaderSize), sequence);
        json.CopyTo(record, RecordHeaderSize + 8);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(RecordHeaderSize)));
        var offset = _journalLength;
        try
        {
            _journal.Position = offset;
            _journal.Write(record);
            _journal.Flush(flushToDisk: true);
        }
        catch
        {
            // Nothing half-written stays behind: the record is either fully stored or not at all.
            _journal.SetLength(offset);
            throw;
        }

        _journalLength = offset + record.Length;
        _pending.Enqueue(new Entry(sequence, offset, record.Length));
        _nextSequence = sequence + 1;
        var signal = _itemAvailable;
        _itemAvailable = NewSignal();
        signal.TrySetResult();
    }

    private QueuedAlert Read(Entry entry)
    {
        var json = new byte[entry.Length - RecordHeaderSize - 8];
        RandomAccess.Read(_journal.SafeFileHandle, json, entry.Offset + RecordHeaderSize + 8);
        return new QueuedAlert(entry.Sequence, json);
    }

    private void Compact()
    {
        var firstOffset = _pending.TryPeek(out var first) ? first.Offset : _journalLength;
        var baseSequence = _pending.Count > 0 ? first.Sequence : _nextSequence;
        var tail = _journalLength - firstOffset;
        var temp = _journalPath + ".compact.tmp";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            output.Write(BuildHeader(baseSequence));
            var buffer = new byte[1 << 16];
            for (long copied = 0; copied < tail;)
            {
                var n = RandomAccess.Read(_journal.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, tail - copied)), firstOffset + copied);
                output.Write(buffer, 0, n);
                copied += n;
            }

            output.Flush(flushToDisk: true);
        }

        _journal.Dispose();
        File.Move(temp, _journalPath, overwrite: true);
        _journal = OpenJournalStream();
        var delta = firstOffset - HeaderSize;
        var entries = _pending.ToArray();
        _pending.Clear();
        foreach (var e in entries)
        {
            _pending.Enqueue(e with { Offset = e.Offset - delta });
        }

        _journalLength = HeaderSize + tail;

        // The ack log restarts with the current cumulative acknowledgement (written aside, then renamed).
        _acks.Dispose();
        AtomicFile.Write(_acksPath, s =>
        {
            Span<byte> ack = stackalloc byte[AckRecordSize];
            BinaryPrimitives.WriteInt64LittleEndian(ack, _acknowledged);
            BinaryPrimitives.WriteUInt32LittleEndian(ack[8..], Crc32.Compute(ack[..8]));
            s.Write(ack);
        });
        _acks = new FileStream(_acksPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _logger.LogDebug("Alert queue compacted: {Removed} acknowledged bytes removed, {Pending} pending", delta, _pending.Count);
    }

    private FileStream OpenJournalStream() =>
        new(_journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);

    private static byte[] BuildHeader(long baseSequence)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), baseSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32.Compute(header.AsSpan(0, 16)));
        return header;
    }

    /// <summary>Returns the last valid cumulative acknowledgement (0 when none) and truncates a torn tail of the ack log.</summary>
    private long RecoverAcks()
    {
        if (!File.Exists(_acksPath))
        {
            return 0;
        }

        var bytes = File.ReadAllBytes(_acksPath);
        long acked = 0;
        var valid = 0;
        while (valid + AckRecordSize <= bytes.Length)
        {
            var span = bytes.AsSpan(valid, AckRecordSize);
            var seq = BinaryPrimitives.ReadInt64LittleEndian(span);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) != Crc32.Compute(span[..8]) || seq < acked)
            {
                break;
            }

            acked = seq;
            valid += AckRecordSize;
        }

        if (valid != bytes.Length)
        {
            _logger.LogWarning("Alert queue {Path}: torn or corrupt acknowledgement at offset {Offset}; {Bytes} byte(s) truncated", _acksPath, valid, bytes.Length - valid);
            using var s = new FileStream(_acksPath, FileMode.Open, FileAccess.Write, FileShare.None);
            s.SetLength(valid);
            s.Flush(flushToDisk: true);
        }

        return acked;
    }

    /// <summary>Makes sure a journal with a valid header exists; returns its base sequence.</summary>
    private long OpenJournal(long acked)
    {
        if (File.Exists(_journalPath))
        {
            var header = new byte[HeaderSize];
            int read;
            using (var s = new FileStream(_journalPath, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                read = s.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            }

            if (read == HeaderSize
                && BinaryPrimitives.ReadUInt32LittleEndian(header) == Magic
                && BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)) == Version
                && BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)) == Crc32.Compute(header.AsSpan(0, 16)))
            {
                return BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
            }

            var aside = $"{_journalPath}.corrupt-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";
            File.Move(_journalPath, aside);
            _logger.LogError("Alert queue {Path}: header invalid (expected magic ESAQ version {Version}, {Bytes} byte(s) present); moved to {Aside} and started empty", _journalPath, Version, read, aside);
        }

        AtomicFile.Write(_journalPath, s => s.Write(BuildHeader(acked + 1)));
        return acked + 1;
    }

    /// <summary>Reads every valid record; truncates at the first torn/corrupt one. Sets the journal length and next sequence.</summary>
    private List<Entry> ScanJournal(long baseSequence)
    {
        var records = new List<Entry>();
        var fileLength = _journal.Length;
        var handle = _journal.SafeFileHandle;
        var offset = (long)HeaderSize;
        var expected = baseSequence;
        Span<byte> head = stackalloc byte[RecordHeaderSize];
        var body = Array.Empty<byte>();
        string? problem = null;
        while (offset < fileLength)
        {
            if (fileLength - offset < RecordHeaderSize || RandomAccess.Read(handle, head, offset) < RecordHeaderSize)
            {
                problem = "incomplete record header";
                break;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(head);
            if (length < 8 || length > AlertQueueSettings.MaxRecordBytes + 8 || offset + RecordHeaderSize + length > fileLength)
            {
                problem = $"record length {length} does not fit";
                break;
            }

            if (body.Length < length)
            {
                body = new byte[length];
            }

            var span = body.AsSpan(0, length);
            if (RandomAccess.Read(handle, span, offset + RecordHeaderSize) < length || Crc32.Compute(span) != BinaryPrimitives.ReadUInt32LittleEndian(head[4..]))
            {
                problem = "CRC mismatch";
                break;
            }

            var sequence = BinaryPrimitives.ReadInt64LittleEndian(span);
            if (sequence != expected)
            {
                problem = $"sequence {sequence} where {expected} was expected";
                break;
            }

            records.Add(new Entry(sequence, offset, RecordHeaderSize + length));
            offset += RecordHeaderSize + length;
            expected++;
        }

        if (problem is not null)
        {
            _logger.LogWarning("Alert queue {Path}: {Problem} at offset {Offset}; truncated {Bytes} byte(s) of torn/corrupt tail", _journalPath, problem, offset, fileLength - offset);
            _journal.SetLength(offset);
            _journal.Flush(flushToDisk: true);
        }

        _journalLength = offset;
        _nextSequence = expected;
        return records;
    }

    private readonly record struct Entry(long Sequence, long Offset, int Length);
}
