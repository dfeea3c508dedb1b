using Microsoft.OpenApi;

namespace Silk.Api.OpenApi;

/// <summary>
/// The description of every tag the routes use (<c>WithTags</c>), so the document's tag list explains itself.
/// A tag without one stops the document from being generated, naming the tag.
/// </summary>
internal static class TagDescriptions
{
    private static readonly Dictionary<string, string> ByTag = new(StringComparer.Ordinal)
    {
        ["Auth"] = "Short-lived tokens for clients that cannot send headers (a browser's EventSource).",
        ["Batch"] = "Many writes in one request, sharing durable commits (a JSON array or NDJSON).",
        ["Compaction"] = "Replace the log by a checkpoint of the live state, when every peer and tail allows it.",
        ["Edges"] = "Typed, directed edges between nodes: create, read, list, update properties, remove.",
        ["Graph"] = "Graph algorithms over the live graph: traversals, paths, impact, subgraphs, patterns, order.",
        ["Health"] = "Liveness and readiness, open to anyone, for load balancers and orchestrators.",
        ["Indexes"] = "Local, derived (node type, property) indexes that serve query selectors: declare, list, drop.",
        ["Info"] = "What this store is: instance id, clock, counts, heads, ontology hash, durability, long operations.",
        ["Nodes"] = "Typed nodes with properties: create (or re-add), read, list, update properties, remove, adjacency.",
        ["Observations"] = "The local observation log of time-stamped samples, never synced.",
        ["Ontology"] = "The typed schema: node and edge types, properties and constraints; extended monotonically.",
        ["Oplog"] = "The append-only Merkle-DAG operation log: single entries, heads, the history of an entity.",
        ["Peers"] = "Gossip peers this server syncs with: list, add or move, remove, sync now.",
        ["Quarantine"] = "Entries the ontology refuses, with their reasons, and judging them again.",
        ["Query"] = "The fluent query as JSON: start from a type, select with Mango-like operators, follow edges, sort, page, group, explain.",
        ["Signing"] = "The ed25519 signing key, trusted authors and strict mode (administrators only).",
        ["Sync"] = "The sync protocol between replicas (MessagePack or JSON): offers, payloads, entries, snapshots.",
        ["Tail"] = "Changes as they happen, from a cursor: long-poll JSON or Server-Sent Events, exactly once.",
    };

    /// <summary>Gives every tag of the document (the generator lists each tag an operation names) its description.</summary>
    public static void Describe(OpenApiDocument document)
    {
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description = tag.Name is { } name && ByTag.TryGetValue(name, out var description)
                ? description
                : throw new InvalidOperationException($"OpenAPI tag '{tag.Name}' has no description: add it to {nameof(TagDescriptions)}.");
        }
    }
}
