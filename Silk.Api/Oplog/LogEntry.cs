using Silk.Core.Entries;

namespace Silk.Api.Oplog;

/// <summary>An oplog entry, in the original's entry dict shape, with the payload as a JSON object.</summary>
/// <param name="Hash">BLAKE3 hash of the entry (64 hex characters).</param>
/// <param name="Author">Instance id of the replica that wrote it.</param>
/// <param name="PhysicalMs">Its hybrid clock: milliseconds since the Unix epoch.</param>
/// <param name="Logical">Its hybrid clock: logical counter within the millisecond.</param>
/// <param name="ClockId">Its hybrid clock's id (the author's instance id).</param>
/// <param name="Next">Hashes of its causal parents (the author's heads when it wrote it).</param>
/// <param name="Refs">Reserved, always empty.</param>
/// <param name="Signature">ed25519 signature over the hash (128 hex characters), or null when unsigned.</param>
/// <param name="Payload">The operation: <c>{"op": tag, …fields}</c>.</param>
public sealed record LogEntry(
    string Hash, string Author, ulong PhysicalMs, uint Logical, string ClockId,
    IReadOnlyList<string> Next, IReadOnlyList<string> Refs, string? Signature, GraphOp Payload)
{
    public static LogEntry From(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new LogEntry(
            entry.Hash.ToHex(), entry.Author, entry.Clock.PhysicalMs, entry.Clock.Logical, entry.Clock.Id,
            entry.Next.Select(h => h.ToHex()).ToList(), entry.Refs.Select(h => h.ToHex()).ToList(),
            entry.Signature is null ? null : Convert.ToHexStringLower(entry.Signature), entry.Payload);
    }
}

/// <summary>Entries in the log's topological order (parents before children).</summary>
/// <param name="Items">The entries.</param>
public sealed record LogEntryList(IReadOnlyList<LogEntry> Items);

/// <summary>The log's current heads: entries no other entry names as a parent.</summary>
/// <param name="Heads">Their hashes, in hash order.</param>
public sealed record HeadList(IReadOnlyList<string> Heads);

/// <summary>The outcome of an integrity check of the log.</summary>
/// <param name="Ok">True when every hash, parent link and head checks out.</param>
/// <param name="Errors">What is wrong, when something is.</param>
public sealed record IntegrityReport(bool Ok, IReadOnlyList<string> Errors);
