using System.Globalization;
using System.Text;
using Edge.Runtime.IO;

namespace Host.Tools.Quantization;

/// <summary>
/// TensorRT's calibration cache text: a header line <c>TRT-&lt;version&gt;-EntropyCalibration2</c>, then one
/// <c>tensor: hex</c> line per tensor, hex = the IEEE-754 bits of the float32 scale (amax / 127).
/// </summary>
public static class TensorRtCalibrationTable
{
    public const string Header = "TRT-8601-EntropyCalibration2";

    public static string Format(IEnumerable<KeyValuePair<string, float>> scales)
    {
        ArgumentNullException.ThrowIfNull(scales);
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var (name, scale) in scales)
        {
            sb.Append(name).Append(": ").Append(ToHex(scale)).Append('\n');
        }

        return sb.ToString();
    }

    public static string ToHex(float scale) => BitConverter.SingleToUInt32Bits(scale).ToString("x8", CultureInfo.InvariantCulture);

    public static float FromHex(string hex) => BitConverter.UInt32BitsToSingle(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    public static void Write(string path, IEnumerable<KeyValuePair<string, float>> scales)
    {
        var text = Format(scales);
        AtomicFile.Write(path, s => s.Write(Encoding.ASCII.GetBytes(text)));
    }
}
