namespace Host.Tools.Training;

/// <summary>One training image and its label image (null for unlabelled images, e.g. distillation on raw frames).</summary>
public sealed record TrainingSample(string ImagePath, string? LabelPath);
