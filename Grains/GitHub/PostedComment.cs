namespace SandboxAgents.GitHub;

/// <summary>A comment on an issue as GitHub lists it: who wrote it (and whether GitHub says that is a bot) and its text.</summary>
public sealed record PostedComment(long Id, string Author, bool ByBot, string Body);
