namespace Edge.Runtime.Mqtt;

/// <summary>
/// Who may publish under <see cref="ProtectedRoot"/> (<c>&lt;prefix&gt;/&lt;device id&gt;</c>, the level itself and
/// everything below it) on the <see cref="EmbeddedBroker"/>: only a client connecting with <see cref="ClientId"/>,
/// <see cref="UserName"/> and <see cref="Password"/>. The runtime generates the password at start and keeps it in memory
/// only, so no other process on the machine can publish fake hazards, a retained <c>state</c> or <c>available</c> —
/// not even through a last will. Any other client may connect anonymously and subscribe; one that uses this client id
/// or user name without the password is refused (it cannot take over the runtime's session either).
/// </summary>
public sealed record EmbeddedBrokerAccess(string ProtectedRoot, string ClientId, string UserName, string Password)
{
    public const string RuntimeUserName = "edgeseg-runtime";

    /// <summary>True when <paramref name="topic"/> is <see cref="ProtectedRoot"/> or lies under it.</summary>
    public bool IsProtected(string topic) =>
        topic.StartsWith(ProtectedRoot, StringComparison.Ordinal) && (topic.Length == ProtectedRoot.Length || topic[ProtectedRoot.Length] == '/');
}
