namespace Host.Tools.Evaluation;

/// <summary>cityscapesScripts <c>labels.py</c>: labelId → trainId (19 classes, 255 = ignore).</summary>
public static class CityscapesLabels
{
    /// <summary>(labelId, trainId) for the labels with a trainId below 255; every other id maps to 255.</summary>
    private static readonly (int Id, byte TrainId)[] Trained =
    [
        (7, 0), (8, 1), (11, 2), (12, 3), (13, 4), (17, 5), (19, 6), (20, 7), (21, 8), (22, 9),
        (23, 10), (24, 11), (25, 12), (26, 13), (27, 14), (28, 15), (31, 16), (32, 17), (33, 18),
    ];

    public static byte[] LabelIdToTrainId { get; } = CreateLut();

    private static byte[] CreateLut()
    {
        var lut = new byte[256];
        Array.Fill(lut, (byte)255);
        foreach (var (id, trainId) in Trained)
        {
            lut[id] = trainId;
        }

        return lut;
    }
}
