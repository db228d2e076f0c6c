using Edge.Runtime.Alerts;

namespace Host.Tools.HazardEvaluation;

/// <summary>One 8-connected region of anomaly pixels of a label mask: its id (1-based), pixel count and bounding box.</summary>
public readonly record struct LabelComponent(int Id, int PixelCount, BoundingBox Box);
