using OpenCvSharp;

namespace Host.Tools.Tests.Training;

/// <summary>A tiny CamVid-layout dataset on disk (train/, trainannot/, val/, valannot/) whose labels follow the image colours.</summary>
internal sealed class SyntheticCamVid : IDisposable
{
    public SyntheticCamVid(int images, int height, int width, int seed = 3)
    {
        Root = Path.Combine(Path.GetTempPath(), "edgeseg-train-" + Guid.NewGuid().ToString("N"));
        var random = new Random(seed);
        foreach (var split in new[] { "train", "val" })
        {
            Directory.CreateDirectory(Path.Combine(Root, split));
            Directory.CreateDirectory(Path.Combine(Root, split + "annot"));
            for (var i = 0; i < images; i++)
            {
                using var image = new Mat(height, width, MatType.CV_8UC3);
                using var label = new Mat(height, width, MatType.CV_8UC1);
                var split0 = random.Next(width / 4, 3 * width / 4);
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var cls = y < height / 3 ? 0 : x < split0 ? 3 : 8;
                        if ((x + y) % 17 == 0)
                        {
                            cls = 11; // void
                        }

                        label.Set(y, x, (byte)cls);
                        var b = (byte)((cls * 23) + random.Next(0, 30));
                        image.Set(y, x, new Vec3b(b, (byte)(255 - b), (byte)(cls * 20)));
                    }
                }

                Cv2.ImWrite(Path.Combine(Root, split, $"img{i:D2}.png"), image);
                Cv2.ImWrite(Path.Combine(Root, split + "annot", $"img{i:D2}.png"), label);
            }
        }
    }

    public string Root { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
