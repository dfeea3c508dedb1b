using System.Diagnostics.CodeAnalysis;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Log;

public enum AppendOutcome
{
    Inserted,

    /// <summary>Already present: appending is idempotent.</summary>
    Duplicate,

    /// <summary>A checkpoint root replaced the whole (genesis-only) log.</summary>
    ReplacedByCheckpoint,
}

/// <summary>
/// The in-memory Merkle-DAG of entries: content-addressed, each entry linked to its causal parents.
/// Besides the original's state (entries, heads, children) every entry gets a local arrival
/// sequence. Parents always arrive before children, so sequence order is a causal order; tails use
/// it to read "everything after a cursor" as a range instead of a walk. Not thread-safe: the store
/// serializes writers and hands readers consistent views.
/// </summary>
public sealed partial class OpLog
{
    private readonly RecordTable _records = new();
    private readonly HashSet<Hash> _heads = [];
    private readonly List<Record> _arrival = [];
    private long _firstSequence;

    private sealed class Record(Entry entry, int headCountAfter)
    {
        public Entry Entry { get; } = entry;

        /// <summary>How many heads the log had right after this entry was appended.</summary>
        public int HeadCountAfter { get; } = headCountAfter;

        // Null, one child, or an array of them in arrival order: most entries have one child or none, so most
        // records hold no array at all.
        private object? _children;

        public ChildList Children => new(_children);

        public void AddChild(Record child)
        {
            switch (_children)
            {
                case null:
                    _children = child;
                    break;
                case Record only when !ReferenceEquals(only, child):
                    _children = new[] { only, child };
                    break;
                case Record[] many when Array.IndexOf(many, child) < 0:
                    _children = (Record[])[.. many, child];
                    break;
            }
        }

        /// <summary>Position in the arrival list (its sequence minus the log's first sequence).</summary>
        public int Index { get; set; }
    }

    /// <summary>Starts a log from its root entry (a genesis define_ontology, or a checkpoint).</summary>
    public OpLog(Entry root)
        : this(root, 0)
    {
    }

    /// <summary>Starts a log whose root carries a persisted arrival sequence (reopening a store).</summary>
    public OpLog(Entry root, long firstSequence)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSequence);
        if (!root.VerifyHash()) throw OpLogException.InvalidHash(root.Hash);
        _firstSequence = firstSequence;
        Insert(root);
    }

    /// <summary>Number of entries, the root included.</summary>
    public int Count => _records.Count;

    /// <summary>The sequence the next appended entry will get.</summary>
    public long NextSequence => _firstSequence + _arrival.Count;

    /// <summary>Current heads (entries without children), in hash order.</summary>
    public IReadOnlyList<Hash> Heads => HeadsArray();

    /// <summary>A fresh sorted array of the heads, which the caller may keep.</summary>
    internal Hash[] HeadsArray()
    {
        var heads = _heads.ToArray();
        if (heads.Length > 1) Array.Sort(heads);
        return heads;
    }

    public int HeadCount => _heads.Count;

    public bool IsHead(Hash hash) => _heads.Contains(hash);

    public bool Contains(Hash hash) => _records.ContainsKey(hash);

    public bool TryGet(Hash hash, [NotNullWhen(true)] out Entry? entry)
    {
        if (_records.TryGetValue(hash, out var record))
        {
            entry = record.Entry;
            return true;
        }

        entry = null;
        return false;
    }

    public Entry? Get(Hash hash) => _records.TryGetValue(hash, out var r) ? r.Entry : null;

    /// <summary>Every entry in arrival order.</summary>
    public IEnumerable<Entry> InArrivalOrder => _arrival.Select(r => r.Entry);

    public bool HeadsKnown(IEnumerable<Hash> hashes) => hashes.All(_records.ContainsKey);

    /// <summary>
    /// Appends an entry: a bad hash and a missing parent are refused; a known entry is a no-op; a
    /// checkpoint root replaces the log, but only a genesis-only one (H1: a foreign checkpoint must
    /// never wipe unsynced local writes). Another non-checkpoint root is kept as an extra root, except
    /// in a log that starts at a checkpoint: there it would bring back history from before the compaction.
    /// </summary>
    public AppendOutcome Append(Entry entry) => Append(entry, hashVerified: false);

    /// <summary>
    /// As <see cref="Append(Entry)"/>; <paramref name="hashVerified"/> skips re-hashing an entry whose hash
    /// was just computed from these very bytes (a local write) or already checked (a merge checks all first).
    /// </summary>
    internal AppendOutcome Append(Entry entry, bool hashVerified)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!hashVerified && !entry.VerifyHash()) throw OpLogException.InvalidHash(entry.Hash);
        if (_records.ContainsKey(entry.Hash)) return AppendOutcome.Duplicate;

        if (entry.IsRoot && entry.Payload is Checkpoint)
        {
            if (!IsGenesisOnly)
            {
                throw new OpLogException(
                    OpLogError.CheckpointRefused,
                    $"refusing checkpoint {entry.Hash.ToHex()}: it would replace a log of {Count} entries; only a genesis-only log can adopt a foreign checkpoint (bootstrap from a snapshot instead)",
                    entry.Hash);
            }

            ReplaceWithCheckpoint(entry);
            return AppendOutcome.ReplacedByCheckpoint;
        }

        if (entry.IsRoot && IsCompacted)
        {
            throw new OpLogException(
                OpLogError.RootRefused,
                $"refusing root {entry.Hash.ToHex()}: this log starts at a checkpoint, and history from before a compaction does not come back (a peer that never saw the checkpoint bootstraps from a snapshot)",
                entry.Hash);
        }

        foreach (var parent in entry.NextSpan)
        {
            if (!_records.ContainsKey(parent)) throw OpLogException.MissingParent(parent);
        }

        Insert(entry);
        return AppendOutcome.Inserted;
    }

    /// <summary>True when the log starts at a checkpoint (it was compacted, or bootstrapped from a compacted peer).</summary>
    public bool IsCompacted => _arrival[0].Entry.Payload is Checkpoint;

    /// <summary>True while the log holds only its root genesis.</summary>
    public bool IsGenesisOnly => _records.Count == 1 && _arrival[^1].Entry.Payload is DefineOntology;

    /// <summary>Drops every entry and starts again from <paramref name="checkpoint"/> (compaction, bootstrap).</summary>
    public void ReplaceWithCheckpoint(Entry checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!checkpoint.VerifyHash()) throw OpLogException.InvalidHash(checkpoint.Hash);
        var next = NextSequence;
        _records.Clear();
        _heads.Clear();
        _arrival.Clear();
        // Sequences keep growing across a replacement so that no old cursor can alias a new entry.
        _firstSequence = next;
        Insert(checkpoint);
    }

    private void Insert(Entry entry)
    {
        var hash = entry.Hash;
        foreach (var parent in entry.NextSpan) _heads.Remove(parent);
        _heads.Add(hash);
        var record = new Record(entry, _heads.Count) { Index = _arrival.Count };
        foreach (var parent in entry.NextSpan)
        {
            _records[parent].AddChild(record);
        }

        _records.Add(record);
        _arrival.Add(record);
    }

    /// <summary>The entry's local arrival sequence.</summary>
    public long SequenceOf(Hash hash) => SequenceOf(_records[hash]);

    // Sequences are positions in the arrival list, offset by the first one: no record keeps its own.
    private long SequenceOf(Record record) => _firstSequence + record.Index;

    /// <summary>Children of an entry (entries naming it as a parent).</summary>
    public IReadOnlyList<Hash> ChildrenOf(Hash hash) =>
        _records.TryGetValue(hash, out var r) ? [.. r.Children.Select(child => child.Entry.Hash)] : [];

    /// <summary>
    /// Checks the invariants: every hash valid (I-01), every parent present (I-02), heads equal to the
    /// entries without children (I-04). Returns the violations, empty when healthy.
    /// </summary>
    public IReadOnlyList<string> VerifyIntegrity()
    {
        var errors = new List<string>();
        foreach (var record in _arrival)
        {
            if (!record.Entry.VerifyHash()) errors.Add($"I-01 violated: entry {record.Entry.Hash.ToHex()} has invalid hash");
        }

        var hasChild = new HashSet<Hash>();
        foreach (var record in _arrival)
        {
            foreach (var parent in record.Entry.Next)
            {
                if (!_records.ContainsKey(parent))
                {
                    errors.Add($"I-02 violated: entry {record.Entry.Hash.ToHex()} references missing parent {parent.ToHex()}");
                }

                hasChild.Add(parent);
            }
        }

        var computed = _records.Keys.Where(h => !hasChild.Contains(h)).ToHashSet();
        var spurious = _heads.Where(h => !computed.Contains(h)).Order().Select(h => h.ToHex()).ToList();
        var missing = computed.Where(h => !_heads.Contains(h)).Order().Select(h => h.ToHex()).ToList();
        if (spurious.Count > 0) errors.Add($"I-04 violated: spurious heads: {string.Join(", ", spurious)}");
        if (missing.Count > 0) errors.Add($"I-04 violated: missing heads: {string.Join(", ", missing)}");
        return errors;
    }
}
