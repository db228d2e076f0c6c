namespace Host.Tools.Evaluation;

/// <summary>One image of a semantic segmentation set and its label image.</summary>
public sealed record SegmentationSample(string ImagePath, string LabelPath);
