namespace Host.Tools.Quantization;

/// <summary>Finds calibration images: every .png/.jpg/.jpeg/.webp under a folder (recursively), in ordinal path order.</summary>
public static class CalibrationImages
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp"];

    public static IReadOnlyList<string> Find(string directory, int count)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"--calib: calibration folder '{directory}' does not exist.");
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Where(f => !Path.GetFileName(f).Contains("gtFine", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Take(count)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"--calib: no calibration images ({string.Join(", ", Extensions)}) in '{directory}'.");
        }

        return files;
    }
}
