namespace SandboxAgents.Runs;

/// <summary>A comment on the issue that the task includes: written by someone with write access, as they wrote it.</summary>
public sealed record DiscussionComment(string Author, string Body);
