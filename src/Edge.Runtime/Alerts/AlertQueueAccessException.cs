namespace Edge.Runtime.Alerts;

/// <summary>The alert queue directory cannot be created or written by the current user.</summary>
public sealed class AlertQueueAccessException : UnauthorizedAccessException
{
    public AlertQueueAccessException(string directory, Exception innerException)
        : base($"Alert queue directory '{directory}' (setting queue.directory) is not writable by user '{Environment.UserName}'. Set queue.directory in the settings file (or EDGESEG__QUEUE__DIRECTORY) to a folder this user can write, e.g. '{SuggestedDirectory()}', or run as the user that owns it (deploy/jetson/install.sh creates {AlertQueueSettings.DefaultDirectory} for the service user edgeseg).", innerException)
    {
        Directory = directory;
    }

    public AlertQueueAccessException()
        : base()
    {
        Directory = string.Empty;
    }

    public AlertQueueAccessException(string message)
        : base(message)
    {
        Directory = string.Empty;
    }

    /// <summary>The queue directory.</summary>
    public string Directory { get; }

    private static string SuggestedDirectory()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrEmpty(state) ? Path.Combine(state, "edgeseg")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".local", "state", "edgeseg")
            : Path.Combine(Path.GetTempPath(), "edgeseg");
    }
}
