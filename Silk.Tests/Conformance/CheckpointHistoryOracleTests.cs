using System.Net;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Api;
using Silk.Tests.Storage;

namespace Silk.Tests.Conformance;

/// <summary>
/// A history rooted at a checkpoint whose edges carry required properties (issue 17), as the original
/// writes one: every add inside the checkpoint without properties, each property an update_property of its
/// own. Replayed incrementally, by rebuild, and through a server's bootstrap and <c>GET /sync/snapshot</c>,
/// it must give the state the original's own <c>from_snapshot</c> gives for the same bytes.
/// </summary>
public sealed class CheckpointHistoryOracleTests
{
    private const string Author = "peer-origin";
    private const ulong Epoch = 1_700_000_000_000;

    private static readonly Ontology Schema = OntologyJson.Parse("""
        {"node_types": {
            "person": {"properties": {"name": {"value_type": "string", "required": true}}},
            "team": {"properties": {"name": {"value_type": "string", "required": true}, "size": {"value_type": "int", "constraints": {"min": 1}}}}},
         "edge_types": {
            "MEMBER_OF": {"source_types": ["person"], "target_types": ["team"],
                          "properties": {"since": {"value_type": "int", "required": true}, "role": {"value_type": "string"}}}}}
        """);

    private static ClockStamp At(ulong offset) => new(Author, Epoch + offset, 0);

    /// <summary>The checkpoint, then writes made after it, each the child of the one before.</summary>
    private static List<Entry> History()
    {
        (GraphOp Op, ulong At)[] inner =
        [
            (new DefineOntology(Schema), 100),
            (new AddNode("p1", "person", null, "Ann", ValueMap.Empty), 1),
            (new UpdateProperty("p1", "name", "ann"), 2),
            (new AddNode("t1", "team", null, "Core", ValueMap.Empty), 3),
            (new UpdateProperty("t1", "name", "core"), 4),
            (new UpdateProperty("t1", "size", 0L), 5), // breaks a constraint: still judged inside a checkpoint
            (new AddEdge("m1", "MEMBER_OF", "p1", "t1", ValueMap.Empty), 6),
            (new UpdateProperty("m1", "since", 2024L), 7),
            (new UpdateProperty("m1", "role", 5L), 8), // wrong kind: still judged
            (new AddEdge("wrong-way", "MEMBER_OF", "t1", "p1", ValueMap.Empty), 9), // endpoints still judged
            (new AddEdge("m0", "MEMBER_OF", "p1", "t1", ValueMap.Empty), 10), // no since at all: allowed in a checkpoint
        ];
        var checkpoint = Entry.Create(
            new Checkpoint([.. inner.Select(i => i.Op)], [.. inner.Select(i => (Epoch + i.At, 0u))], Epoch + 100, 0), [], At(100), Author);
        var history = new List<Entry> { checkpoint };
        GraphOp[] after =
        [
            new AddEdge("m2", "MEMBER_OF", "p1", "t1", ValueMap.Of(("since", 2025L))),
            new UpdateProperty("m1", "since", 2026L),
            new AddEdge("m3", "MEMBER_OF", "p1", "t1", ValueMap.Empty), // outside a checkpoint the rule holds
            new RemoveEdge("m2"),
            new AddNode("p2", "person", null, "Bo", ValueMap.Of(("name", "bo"))),
        ];
        for (var i = 0; i < after.Length; i++)
        {
            history.Add(Entry.Create(after[i], [history[^1].Hash], At(101 + (ulong)i), Author));
        }

        return history;
    }

    private static byte[] SnapshotBytes() => new Snapshot(History()).ToBytes();

    [Fact]
    public void The_original_keeps_the_checkpointed_edges_and_judges_everything_else()
    {
        var original = Oracle.LoadSnapshot(SnapshotBytes());
        Assert.Contains("edge m1 MEMBER_OF|p1->t1", original, StringComparison.Ordinal);
        Assert.Contains("edge m0 MEMBER_OF|p1->t1", original, StringComparison.Ordinal);
        Assert.DoesNotContain("edge m3", original, StringComparison.Ordinal);
        Assert.DoesNotContain("edge wrong-way", original, StringComparison.Ordinal);
    }

    [Fact]
    public void Rebuild_from_the_snapshot_gives_the_original_state()
    {
        using var store = GraphStore.FromSnapshot("peer-r", Snapshot.Decode(SnapshotBytes()));
        Assert.Equal(Oracle.LoadSnapshot(SnapshotBytes()), Oracle.State(store));
    }

    [Fact]
    public void Incremental_merges_one_entry_at_a_time_give_the_original_state()
    {
        using var store = GraphStore.Create("peer-i", Schema);
        foreach (var entry in History())
        {
            store.Merge([entry]);
        }

        Assert.Equal(Oracle.LoadSnapshot(SnapshotBytes()), Oracle.State(store));
    }

    [Fact]
    public async Task A_server_bootstrapped_from_it_serves_a_snapshot_the_original_reads_as_the_same_state()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "checkpointed.snapshot");
        await File.WriteAllBytesAsync(file, SnapshotBytes());
        var original = Oracle.LoadSnapshot(SnapshotBytes());

        await using var server = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = file });
        using var client = server.CreateClient();
        Assert.Equal(original, Oracle.State(server.Host.Store));
        using var served = await client.Get("/sync/snapshot");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(original, Oracle.LoadSnapshot(await served.Content.ReadAsByteArrayAsync()));
    }
}
