using System.Collections.Immutable;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Log;

public class OpLogTests
{
    private static readonly Ontology TinyOntology = new(
        SortedMap.From([KeyValuePair.Create("item", new NodeTypeDef(null, SortedMap.Empty<PropertyDef>(), null, null))]),
        SortedMap.Empty<EdgeTypeDef>());

    private static Entry Genesis(string author = "a", ulong physical = 1) =>
        Entry.Create(new DefineOntology(TinyOntology), [], new ClockStamp(author, physical, 0), author);

    private static Entry Node(string id, ulong physical, params Entry[] parents) =>
        Node(id, physical, 0, "a", parents);

    private static Entry Node(string id, ulong physical, uint logical, string author, params Entry[] parents) =>
        Entry.Create(new AddNode(id, "item", null, id, ValueMap.Empty), parents.Select(p => p.Hash).ToArray(), new ClockStamp(author, physical, logical), author);

    private static Entry Tampered(Entry entry)
    {
        var bytes = entry.ToBytes();
        // Flip the low bit of the first hash byte (a fixint, or the operand after 0xcc): still a valid
        // encoding, but the hash no longer matches the content.
        bytes[bytes[4] < 0x80 ? 4 : 5] ^= 0x01;
        return Entry.Decode(bytes);
    }

    [Fact]
    public void New_log_holds_its_root_as_the_only_head()
    {
        var genesis = Genesis();
        var log = new OpLog(genesis);
        Assert.Equal(1, log.Count);
        Assert.Equal([genesis.Hash], log.Heads);
        Assert.True(log.IsGenesisOnly);
    }

    [Fact]
    public void Chain_keeps_one_head_and_fork_gives_two()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var a = Node("a", 2, g);
        var b = Node("b", 3, a);
        var c = Node("c", 3, a);
        Assert.Equal(AppendOutcome.Inserted, log.Append(a));
        Assert.Equal(AppendOutcome.Inserted, log.Append(b));
        Assert.Equal([b.Hash], log.Heads);
        log.Append(c);
        Assert.Equal(new[] { b.Hash, c.Hash }.Order(), log.Heads);
        var merge = Node("m", 4, b, c);
        log.Append(merge);
        Assert.Equal([merge.Hash], log.Heads);
        Assert.Equal(5, log.Count);
        Assert.Empty(log.VerifyIntegrity());
    }

    [Fact]
    public void Duplicate_append_is_a_no_op()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var a = Node("a", 2, g);
        log.Append(a);
        Assert.Equal(AppendOutcome.Duplicate, log.Append(a));
        Assert.Equal(AppendOutcome.Duplicate, log.Append(Entry.Decode(a.ToBytes())));
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void Invalid_hash_is_refused_and_changes_nothing()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var bad = Tampered(Node("a", 2, g));
        var ex = Assert.Throws<OpLogException>(() => log.Append(bad));
        Assert.Equal(OpLogError.InvalidHash, ex.Error);
        Assert.Equal("entry hash verification failed", ex.Message);
        Assert.Equal(1, log.Count);
    }

    [Fact]
    public void Missing_parent_is_refused_with_its_hex()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var orphanParent = Node("x", 2, g);
        var child = Node("y", 3, orphanParent);
        var ex = Assert.Throws<OpLogException>(() => log.Append(child));
        Assert.Equal(OpLogError.MissingParent, ex.Error);
        Assert.Equal($"missing parent entry: {orphanParent.Hash.ToHex()}", ex.Message);
        Assert.Equal([g.Hash], log.Heads);
    }

    [Fact]
    public void A_second_non_checkpoint_root_is_kept_as_another_root()
    {
        var log = new OpLog(Genesis("a"));
        var otherGenesis = Genesis("b", 5);
        Assert.Equal(AppendOutcome.Inserted, log.Append(otherGenesis));
        Assert.Equal(2, log.Count);
        Assert.Equal(2, log.HeadCount);
        Assert.Empty(log.VerifyIntegrity());
    }

    private static Entry CheckpointEntry(ulong physical) => Entry.Create(
        new Checkpoint([new DefineOntology(TinyOntology), new AddNode("k", "item", null, "k", ValueMap.Empty)], [(1, 0), (2, 0)], physical, 0),
        [], new ClockStamp("c", physical, 0), "c");

    [Fact]
    public void A_checkpoint_replaces_a_genesis_only_log()
    {
        var log = new OpLog(Genesis());
        var checkpoint = CheckpointEntry(10);
        Assert.Equal(AppendOutcome.ReplacedByCheckpoint, log.Append(checkpoint));
        Assert.Equal(1, log.Count);
        Assert.Equal([checkpoint.Hash], log.Heads);
        Assert.False(log.IsGenesisOnly);
    }

    [Fact]
    public void A_checkpoint_is_refused_by_a_log_with_local_writes()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var write = Node("a", 2, g);
        log.Append(write);
        var ex = Assert.Throws<OpLogException>(() => log.Append(CheckpointEntry(10)));
        Assert.Equal(OpLogError.CheckpointRefused, ex.Error);
        Assert.Equal(2, log.Count);
        Assert.True(log.Contains(write.Hash));
    }

    [Fact]
    public void Topological_order_is_layered_not_a_global_priority_order()
    {
        // g → x(t=100) → y(t=101); g → z(t=50). Layer 1 = {x(100)… no: x and z are both children of g}.
        // Layered Kahn emits g, then g's children sorted (z@50, x@100), then y. With a deeper chain the
        // smaller clock can come after a larger one: g → p(t=10) → q(t=11); g → r(t=200) → s(t=5).
        var g = Genesis();
        var p = Node("p", 10, g);
        var r = Node("r", 200, g);
        var q = Node("q", 11, p);
        var s = Node("s", 5, r);
        var log = new OpLog(g);
        foreach (var e in new[] { p, r, q, s }) log.Append(e);
        var order = log.TopologicalOrder().Select(e => e.Hash).ToList();
        // layer 1: p(10), r(200); p's ready child q(11) queued, then r's child s(5): q before s although 5 < 11.
        Assert.Equal([g.Hash, p.Hash, r.Hash, q.Hash, s.Hash], order);
    }

    [Fact]
    public void Equal_clocks_are_ordered_by_hash_bytes()
    {
        var g = Genesis();
        var a = Node("a", 7, g);
        var b = Node("b", 7, g);
        var log = new OpLog(g);
        log.Append(b);
        log.Append(a);
        var expected = new[] { a, b }.OrderBy(e => e.Hash).Select(e => e.Hash);
        Assert.Equal(expected, log.TopologicalOrder().Skip(1).Select(e => e.Hash));
    }

    [Fact]
    public void Entries_since_returns_what_the_known_hash_does_not_reach()
    {
        var g = Genesis();
        var a = Node("a", 2, g);
        var b = Node("b", 3, a);
        var c = Node("c", 3, g);
        var log = new OpLog(g);
        foreach (var e in new[] { a, b, c }) log.Append(e);
        Assert.Equal(4, log.EntriesSince(null).Count);
        Assert.Equal(new[] { b.Hash, c.Hash }.ToHashSet(), log.EntriesSince(a.Hash).Select(e => e.Hash).ToHashSet());
        var unknown = Node("zz", 9, g).Hash;
        Assert.Equal(4, log.EntriesSince(unknown).Count);
    }

    [Fact]
    public void Entries_since_heads_needs_every_cursor_hash()
    {
        var g = Genesis();
        var a = Node("a", 2, g);
        var b = Node("b", 3, g);
        var log = new OpLog(g);
        log.Append(a);
        log.Append(b);
        Assert.Equal([b.Hash], log.EntriesSinceHeads([a.Hash]).Select(e => e.Hash));
        Assert.Empty(log.EntriesSinceHeads([a.Hash, b.Hash]));
        Assert.Equal(3, log.EntriesSinceHeads([]).Count);
        var stale = Node("gone", 4, a).Hash;
        var ex = Assert.Throws<OpLogException>(() => log.EntriesSinceHeads([a.Hash, stale]));
        Assert.Equal(OpLogError.MissingParent, ex.Error);
    }

    [Fact]
    public void Entries_as_of_cuts_on_physical_then_logical()
    {
        var g = Genesis(physical: 1);
        var a = Node("a", 5, 0, "a", g);
        var b = Node("b", 5, 2, "a", a);
        var c = Node("c", 6, 0, "a", b);
        var log = new OpLog(g);
        foreach (var e in new[] { a, b, c }) log.Append(e);
        Assert.Equal([g.Hash, a.Hash], log.EntriesAsOf(5, 1).Select(e => e.Hash));
        Assert.Equal([g.Hash, a.Hash, b.Hash], log.EntriesAsOf(5, 2).Select(e => e.Hash));
        Assert.Empty(log.EntriesAsOf(0, 0));
        Assert.Equal(4, log.EntriesAsOf(ulong.MaxValue, uint.MaxValue).Count);
    }

    [Fact]
    public void Sequences_follow_arrival_and_survive_a_checkpoint_replacement()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var a = Node("a", 2, g);
        log.Append(a);
        Assert.Equal(0, log.SequenceOf(g.Hash));
        Assert.Equal(1, log.SequenceOf(a.Hash));
        var checkpoint = CheckpointEntry(10);
        log.ReplaceWithCheckpoint(checkpoint);
        Assert.Equal(2, log.SequenceOf(checkpoint.Hash));
        Assert.False(log.Contains(a.Hash));
    }

    [Fact]
    public void Root_with_bad_hash_is_refused()
    {
        Assert.Throws<OpLogException>(() => new OpLog(Tampered(Genesis())));
    }
}
