namespace Edge.Runtime.Models;

/// <summary>The 19 Cityscapes trainId class names, and the paper's 20-class list with "void" at index 19.</summary>
public static class CityscapesClasses
{
    public const int VoidIndex = 19;

    public static IReadOnlyList<string> TrainIds { get; } =
    [
        "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign", "vegetation", "terrain",
        "sky", "person", "rider", "car", "truck", "bus", "train", "motorcycle", "bicycle",
    ];

    public static IReadOnlyList<string> WithVoid { get; } = [.. TrainIds, "void"];
}
