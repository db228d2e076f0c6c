namespace Edge.Runtime.Hazards;

/// <summary>Where hazards are looked for (settings <c>hazards.road_area.mode</c>).</summary>
public enum RoadAreaMode
{
    /// <summary>Pixels the model labels road (argmax = road class), dilated.</summary>
    Model,

    /// <summary>A static polygon in normalised frame coordinates.</summary>
    Polygon,

    /// <summary>The whole frame; <c>on_road</c> is then false.</summary>
    None,
}
