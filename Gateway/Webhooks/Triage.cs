namespace SandboxAgents.Gateway.Webhooks;

/// <summary>What a delivery comes to before it is deserialised, with the reason for the log.</summary>
public readonly record struct Triage(TriageOutcome Outcome, string Reason)
{
    public static readonly Triage NotActedOn = new(TriageOutcome.NotActedOn, "not an event this service acts on");

    public static readonly Triage Malformed = new(TriageOutcome.Malformed, "not a payload the event's model can read");

    public static readonly Triage Route = new(TriageOutcome.Route, "may be a command");

    public static Triage Ignore(string reason) => new(TriageOutcome.Ignored, reason);
}

/// <summary>How a delivery is answered: acknowledged unread, refused (400), acknowledged as ignored, or deserialised and routed.</summary>
public enum TriageOutcome
{
    NotActedOn = 0,
    Malformed = 1,
    Ignored = 2,
    Route = 3,
}
