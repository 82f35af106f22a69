namespace Hub.Contracts.Serialization;

/// <summary>
/// Pins a message's wire name (its URN) so that renaming or moving the type never changes what is on the queue.
/// The host maps it onto MassTransit's own <c>MessageUrn</c> convention at start; Contracts stays free of
/// any bus dependency so other agencies can reference it alone.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageUrnAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="urn">The wire name, e.g. <c>hub:overdose-notification:v1</c>.</param>
    public MessageUrnAttribute(string urn) => Urn = urn;

    /// <summary>The wire name.</summary>
    public string Urn { get; }
}
