namespace Edge.Runtime.Alerts;

/// <summary>The alert queue directory is already open in another process (or another queue instance): its lock is held.</summary>
public sealed class AlertQueueLockedException : InvalidOperationException
{
    public AlertQueueLockedException(string directory, string? holder, Exception? innerException = null)
        : base($"Alert queue directory '{directory}' (setting queue.directory) is in use by another edgeseg instance: {holder ?? "holder unknown"} holds {Path.Combine(directory, FileAlertQueue.LockFileName)}. Stop that instance (e.g. `systemctl stop edgeseg`) or give this one its own queue.directory.", innerException)
    {
        Directory = directory;
        Holder = holder;
    }

    public AlertQueueLockedException()
        : this(string.Empty, (string?)null)
    {
    }

    public AlertQueueLockedException(string message)
        : base(message)
    {
        Directory = string.Empty;
    }

    public AlertQueueLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = string.Empty;
    }

    /// <summary>The queue directory.</summary>
    public string Directory { get; }

    /// <summary>What <c>alerts.lock.owner</c> says about the holder (pid, process, since), or null when unknown.</summary>
    public string? Holder { get; }
}
