namespace Edge.Runtime.Mqtt;

/// <summary>One retained message to publish (topic + UTF-8 JSON payload).</summary>
public sealed record RetainedMessage(string Topic, byte[] Payload);
