namespace Host.Tools.Progress;

/// <summary>One counted piece of long work (images, frames, candidates): a Spectre bar on a terminal, log lines otherwise.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>One step done; <paramref name="detail"/> says which (an image name, a frame number).</summary>
    void Advance(string detail);
}
