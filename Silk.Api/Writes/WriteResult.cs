namespace Silk.Api.Writes;

/// <summary>The entry a write appended to the log.</summary>
/// <param name="Hash">The new entry's hash (64 hex characters).</param>
public sealed record WriteResult(string Hash);
