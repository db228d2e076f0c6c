using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
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

    /// <summary>Holder of the lock: pid, process name, since when (plain text, for the error a second instance reports).</summary>
    public const string LockOwnerFileName = "alerts.lock.owner";

    internal const int HeaderSize = 32;
    internal const int V1HeaderSize = 24;

    /// <summary>Smallest possible record: header, sequence and a 2-byte JSON object; bounds how many records a damaged tail held.</summary>
    internal const int MinRecordBytes = RecordHeaderSize + 8 + 2;
    internal const int RecordHeaderSize = 8;
    internal const int AckRecordSize = 12;
    private const uint Magic = 0x51415345; // "ESAQ" little-endian
    private const uint Version = 2;

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
    private long _syncs;
    private bool _fullLogged;
    private int _corruptRegions;
    private long _corruptBytes;
    private bool _disposed;
    private TaskCompletionSource _itemAvailable = NewSignal();
    private TaskCompletionSource _spaceAvailable = NewSignal();

    private FileAlertQueue(AlertQueueSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        _journalPath = Path.Combine(settings.Directory, JournalFileName);
        _acksPath = Path.Combine(settings.Directory, AcksFileName);
        _lock = AcquireLock(settings.Directory);
        List<Entry> records;
        try
        {
            _acknowledged = RecoverAcks();
            records = RecoverJournal();
            _journal = OpenJournalStream();
            _acks = new FileStream(_acksPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }
        catch (UnauthorizedAccessException ex)
        {
            _journal?.Dispose();
            _acks?.Dispose();
            _lock.Dispose();
            throw new AlertQueueAccessException(settings.Directory, ex);
        }
        catch
        {
            _journal?.Dispose();
            _acks?.Dispose();
            _lock.Dispose();
            throw;
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

    /// <summary>Damaged parts found when the queue was opened (journal regions, header, acknowledgement log), each moved aside to <c>*.corrupt-*</c>.</summary>
    public int CorruptionsRecovered => _corruptRegions;

    /// <summary>Bytes moved aside as damaged when the queue was opened.</summary>
    public long CorruptBytes => _corruptBytes;

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

    /// <summary>
    /// What <c>edgeseg check</c> reports: creates the directory when missing, proves it writable and takes (then releases)
    /// the lock, without touching the journal. Returns a one-line description.
    /// </summary>
    /// <exception cref="AlertQueueLockedException">Another instance holds the queue.</exception>
    /// <exception cref="AlertQueueAccessException">The directory cannot be created or written.</exception>
    public static string Probe(AlertQueueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var existed = System.IO.Directory.Exists(settings.Directory);
        using (AcquireLock(settings.Directory))
        {
            File.Delete(Path.Combine(settings.Directory, LockOwnerFileName));
        }

        var journal = new FileInfo(Path.Combine(settings.Directory, JournalFileName));
        return string.Create(CultureInfo.InvariantCulture,
            $"{settings.Directory}: {(existed ? "exists" : "created")}, writable, not locked; journal {(journal.Exists ? $"{journal.Length} bytes" : "not created yet")}, bound {settings.MaxBytes} bytes");
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

                if (TryAppend([body], recordSize))
                {
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

    /// <summary>
    /// Stores a frame's events in order with consecutive sequence numbers and ONE fsync for all of them (group commit),
    /// when they fit at once; otherwise one by one as <see cref="EnqueueAsync(HazardEvent, CancellationToken)"/> does,
    /// waiting for space. Returns once every event is durable; none is visible to the publisher before that.
    /// </summary>
    public async ValueTask EnqueueAsync(IReadOnlyList<HazardEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var bodies = new byte[events.Count][];
                long total = 0;
                for (var i = 0; i < events.Count; i++)
                {
                    ArgumentNullException.ThrowIfNull(events[i]);
                    bodies[i] = HazardEventJson.Serialize(events[i], _nextSequence + i);
                    total += RecordHeaderSize + 8 + bodies[i].Length;
                }

                if (bodies.All(b => b.Length <= AlertQueueSettings.MaxRecordBytes) && TryAppend(bodies, total))
                {
                    return;
                }
            }
        }

        // One at a time: too large together for the space left (each waits for the publisher), or a single event.
        foreach (var hazardEvent in events)
        {
            await EnqueueAsync(hazardEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>fsyncs of the journal for stored events since the queue was opened (one per event, or per group).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

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
            try
            {
                File.Delete(Path.Combine(_settings.Directory, LockOwnerFileName));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A stale owner note is harmless: it is only read when the lock is refused.
            }

            _lock.Dispose();
            _itemAvailable.TrySetException(new ObjectDisposedException(nameof(FileAlertQueue)));
            _spaceAvailable.TrySetException(new ObjectDisposedException(nameof(FileAlertQueue)));
        }
    }

    /// <summary>
    /// One queue instance per directory: an exclusive lock (flock) on <c>alerts.lock</c>, released on dispose or process
    /// exit; the holder's pid is written to <c>alerts.lock.owner</c> so a refused second instance can name it.
    /// </summary>
    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        FileStream stream;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AlertQueueAccessException(directory, ex);
        }
        catch (IOException ex) when (File.Exists(path) && ex is not PathTooLongException and not DirectoryNotFoundException)
        {
            throw new AlertQueueLockedException(directory, ReadOwner(directory), ex);
        }

        try
        {
            File.WriteAllText(Path.Combine(directory, LockOwnerFileName), string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} ({Process.GetCurrentProcess().ProcessName}), since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new AlertQueueAccessException(directory, ex);
        }

        return stream;
    }

    private static string? ReadOwner(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, LockOwnerFileName)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long AcknowledgedBytes() => (_pending.TryPeek(out var first) ? first.Offset : _journalLength) - HeaderSize;

    /// <summary>Under the gate: compacts when that makes room, then appends <paramref name="bodies"/> (<paramref name="bytes"/> in all) if they fit.</summary>
    private bool TryAppend(byte[][] bodies, long bytes)
    {
        if (_journalLength + bytes > _settings.MaxBytes && AcknowledgedBytes() > 0)
        {
            Compact();
        }

        if (_journalLength + bytes > _settings.MaxBytes)
        {
            return false;
        }

        Append(_nextSequence, bodies);
        _fullLogged = false;
        return true;
    }

    /// <summary>Appends records with sequences <paramref name="first"/>, +1, ... in one write and one fsync; all or nothing.</summary>
    private void Append(long first, byte[][] bodies)
    {
        var size = bodies.Sum(b => RecordHeaderSize + 8 + b.Length);
        var buffer = new byte[size];
        var at = 0;
        for (var i = 0; i < bodies.Length; i++)
        {
            var record = buffer.AsSpan(at, RecordHeaderSize + 8 + bodies[i].Length);
            BinaryPrimitives.WriteInt32LittleEndian(record, 8 + bodies[i].Length);
            BinaryPrimitives.WriteInt64LittleEndian(record[RecordHeaderSize..], first + i);
            bodies[i].CopyTo(record[(RecordHeaderSize + 8)..]);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.Compute(record[RecordHeaderSize..]));
            at += record.Length;
        }

        var offset = _journalLength;
        try
        {
            _journal.Position = offset;
            _journal.Write(buffer);
            _journal.Flush(flushToDisk: true);
            Interlocked.Increment(ref _syncs);
        }
        catch
        {
            // Nothing half-written stays behind: the records are either all stored or none is.
            _journal.SetLength(offset);
            throw;
        }

        at = 0;
        for (var i = 0; i < bodies.Length; i++)
        {
            var length = RecordHeaderSize + 8 + bodies[i].Length;
            _pending.Enqueue(new Entry(first + i, offset + at, length));
            at += length;
        }

        _journalLength = offset + size;
        _nextSequence = first + bodies.Length;
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
            output.Write(BuildHeader(baseSequence, _nextSequence));
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

    /// <summary>
    /// Version 2 header: magic, version, base sequence (every lower sequence is acknowledged), sequence floor (the next
    /// sequence is at least this: survives the loss of the records that carried the highest numbers), CRC of bytes 0..24.
    /// </summary>
    private static byte[] BuildHeader(long baseSequence, long floor)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), baseSequence);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), floor);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), Crc32.Compute(header.AsSpan(0, 24)));
        return header;
    }

    /// <summary>Parses a version 1 (24-byte) or version 2 (32-byte) header; false when neither is intact.</summary>
    private static bool TryParseHeader(ReadOnlySpan<byte> bytes, out int size, out long baseSequence, out long floor)
    {
        (size, baseSequence, floor) = (0, 0, 0);
        if (bytes.Length < V1HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version == 1 && BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]) == Crc32.Compute(bytes[..16]))
        {
            (size, baseSequence) = (V1HeaderSize, BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
            floor = baseSequence;
            return true;
        }

        if (version == Version && bytes.Length >= HeaderSize && BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]) == Crc32.Compute(bytes[..24]))
        {
            (size, baseSequence, floor) = (HeaderSize, BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]));
            return true;
        }

        return false;
    }

    /// <summary>
    /// Returns the cumulative acknowledgement: the highest intact 12-byte ack record (0 when none). Corrupt records are
    /// skipped (each is CRC-checked on its own); a torn or corrupt log is rewritten with that one value, the damaged
    /// original moved aside.
    /// </summary>
    private long RecoverAcks()
    {
        if (!File.Exists(_acksPath))
        {
            return 0;
        }

        var bytes = File.ReadAllBytes(_acksPath);
        long acked = 0;
        var bad = 0;
        var whole = bytes.Length / AckRecordSize * AckRecordSize;
        for (var offset = 0; offset < whole; offset += AckRecordSize)
        {
            var span = bytes.AsSpan(offset, AckRecordSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) != Crc32.Compute(span[..8]))
            {
                bad++;
                continue;
            }

            acked = Math.Max(acked, BinaryPrimitives.ReadInt64LittleEndian(span));
        }

        if (bad == 0 && whole == bytes.Length)
        {
            return acked;
        }

        if (bad > 0)
        {
            var aside = MoveAside(_acksPath, bytes);
            ReportCorruption(bad * AckRecordSize);
            _logger.LogWarning("Alert queue {Path}: {Bad} corrupt acknowledgement record(s) skipped (CRC mismatch), acknowledged up to {Acked}; original moved to {Aside}", _acksPath, bad, acked, aside);
        }
        else
        {
            _logger.LogWarning("Alert queue {Path}: torn acknowledgement at offset {Offset}; {Bytes} byte(s) truncated", _acksPath, whole, bytes.Length - whole);
        }

        AtomicFile.Write(_acksPath, s => s.Write(AckRecord(acked)));
        return acked;
    }

    private static byte[] AckRecord(long sequence)
    {
        var ack = new byte[AckRecordSize];
        BinaryPrimitives.WriteInt64LittleEndian(ack, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(ack.AsSpan(8), Crc32.Compute(ack.AsSpan(0, 8)));
        return ack;
    }

    /// <summary>
    /// Reads the journal (creating it when missing), keeps every intact record and sets the next sequence above every
    /// number the journal, its header and the acknowledgement log ever held. Damage never stops the scan: after a bad
    /// record the scan resynchronises on the next offset where a plausible length, a sequence above the last one, a JSON
    /// body and its CRC-32 all agree. Damaged bytes (bad header, bad records, torn tail) are moved to
    /// <c>alerts.journal.corrupt-*</c>, reported, and the journal is rewritten (temp + rename) with the intact pending records.
    /// </summary>
    private List<Entry> RecoverJournal()
    {
        if (!File.Exists(_journalPath))
        {
            _nextSequence = _acknowledged + 1;
            AtomicFile.Write(_journalPath, s => s.Write(BuildHeader(_nextSequence, _nextSequence)));
            _journalLength = HeaderSize;
            return [];
        }

        var bytes = File.ReadAllBytes(_journalPath);
        var headerValid = TryParseHeader(bytes, out var headerSize, out var baseSequence, out var floor);
        var damaged = new List<(long Offset, int Length)>();
        if (headerValid)
        {
            // Version 1 semantics, kept in version 2: everything below the base sequence was acknowledged and compacted away.
            _acknowledged = Math.Max(_acknowledged, baseSequence - 1);
        }
        else
        {
            _logger.LogError("Alert queue {Path}: header invalid (expected magic ESAQ version 1 or {Version}, {Bytes} byte(s) present); recovering the records after it", _journalPath, Version, bytes.Length);
        }

        var records = new List<Entry>();
        long last = 0;
        var offset = headerValid ? headerSize : 0;
        var damageStart = headerValid ? -1 : 0;
        while (offset < bytes.Length)
        {
            if (IsRecord(bytes, offset, last, out var length, out var sequence))
            {
                if (damageStart >= 0)
                {
                    damaged.Add((damageStart, offset - damageStart));
                    LogDamage(bytes, damageStart, offset, last, tail: false);
                    damageStart = -1;
                }

                records.Add(new Entry(sequence, offset, RecordHeaderSize + length));
                last = sequence;
                offset += RecordHeaderSize + length;
            }
            else
            {
                if (damageStart < 0)
                {
                    damageStart = offset;
                }

                offset++;
            }
        }

        var highest = Math.Max(Math.Max(last, floor - 1), _acknowledged);
        if (damageStart >= 0)
        {
            damaged.Add((damageStart, bytes.Length - damageStart));
            LogDamage(bytes, damageStart, bytes.Length, last, tail: true);
            // A damaged header is not a record: the tail estimate starts after where the header would end.
            var tailStart = headerValid || damageStart > 0 ? damageStart : Math.Min(HeaderSize, bytes.Length);
            highest = Math.Max(highest, HighestSequenceIn(bytes, tailStart, last));
        }

        _nextSequence = highest + 1;
        if (headerValid && headerSize == HeaderSize && damaged.Count == 0)
        {
            _journalLength = bytes.Length;
            return records;
        }

        // Rewrite: a fresh version 2 header (base = first unacknowledged, floor = next), then the intact pending records.
        if (damaged.Count > 0)
        {
            var aside = MoveAside(_journalPath, [.. damaged.SelectMany(d => bytes.Skip((int)d.Offset).Take(d.Length))]);
            var total = damaged.Sum(d => (long)d.Length);
            ReportCorruption(total);
            _logger.LogWarning("Alert queue {Path}: {Regions} damaged region(s), {Bytes} byte(s), moved to {Aside}; {Records} intact record(s) kept, next sequence {Next}", _journalPath, damaged.Count, total, aside, records.Count, _nextSequence);
        }

        var kept = new List<Entry>();
        AtomicFile.Write(_journalPath, s =>
        {
            s.Write(BuildHeader(_acknowledged + 1, _nextSequence));
            long position = HeaderSize;
            foreach (var r in records.Where(r => r.Sequence > _acknowledged))
            {
                s.Write(bytes, (int)r.Offset, r.Length);
                kept.Add(r with { Offset = position });
                position += r.Length;
            }
        });
        _journalLength = HeaderSize + kept.Sum(r => (long)r.Length);
        return kept;
    }

    /// <summary>An intact record at <paramref name="offset"/>: length in range, sequence above <paramref name="last"/>, a JSON object body, matching CRC-32.</summary>
    private static bool IsRecord(byte[] bytes, int offset, long last, out int length, out long sequence)
    {
        (length, sequence) = (0, 0);
        if (bytes.Length - offset < RecordHeaderSize + 9)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
        if (length < 9 || length > AlertQueueSettings.MaxRecordBytes + 8 || length > bytes.Length - offset - RecordHeaderSize)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + RecordHeaderSize));
        return sequence > last
            && bytes[offset + RecordHeaderSize + 8] == (byte)'{'
            && Crc32.Compute(bytes.AsSpan(offset + RecordHeaderSize, length)) == BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
    }

    /// <summary>
    /// Highest sequence a damaged tail may have carried. A torn write (the length runs past the end of the file) was never
    /// stored, so never handed out: only a sequence still readable in it counts. A complete but damaged tail counts as
    /// many records as could fit in it (<see cref="MinRecordBytes"/> each), so none of its numbers is ever reused.
    /// </summary>
    private static long HighestSequenceIn(byte[] bytes, int start, long last)
    {
        var remaining = bytes.Length - start;
        var torn = remaining < RecordHeaderSize
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(start)) is var length && length >= 9 && length <= AlertQueueSettings.MaxRecordBytes + 8 && length > remaining - RecordHeaderSize;
        if (torn)
        {
            return remaining >= RecordHeaderSize + 8 && BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(start + RecordHeaderSize)) == last + 1 ? last + 1 : last;
        }

        return last + remaining / MinRecordBytes;
    }

    private void LogDamage(byte[] bytes, int start, int end, long last, bool tail)
    {
        var problem = Diagnose(bytes, start, last);
        if (tail)
        {
            _logger.LogWarning("Alert queue {Path}: {Problem} at offset {Offset}; truncated {Bytes} byte(s) of torn/corrupt tail", _journalPath, problem, start, end - start);
        }
        else
        {
            _logger.LogWarning("Alert queue {Path}: {Problem} at offset {Offset}; skipped {Bytes} byte(s) to the next intact record at offset {Next}", _journalPath, problem, start, end - start, end);
        }
    }

    private static string Diagnose(byte[] bytes, int offset, long last)
    {
        if (bytes.Length - offset < RecordHeaderSize + 9)
        {
            return "incomplete record header";
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
        if (length < 9 || length > AlertQueueSettings.MaxRecordBytes + 8 || length > bytes.Length - offset - RecordHeaderSize)
        {
            return $"record length {length} does not fit";
        }

        var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset + RecordHeaderSize));
        return sequence <= last ? $"sequence {sequence} where > {last} was expected" : "CRC mismatch";
    }

    private string MoveAside(string path, byte[] damaged)
    {
        var aside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";
        for (var n = 1; File.Exists(aside); n++)
        {
            aside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{n}";
        }

        AtomicFile.Write(aside, s => s.Write(damaged));
        return aside;
    }

    private void ReportCorruption(long bytes)
    {
        _corruptRegions++;
        _corruptBytes += bytes;
    }

    private readonly record struct Entry(long Sequence, long Offset, int Length);
}
