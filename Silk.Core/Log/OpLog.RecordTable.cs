using System.Diagnostics.CodeAnalysis;
using Silk.Core.Wire;

namespace Silk.Core.Log;

public sealed partial class OpLog
{
    /// <summary>
    /// The records by hash. A set of records looked up by their entry's hash instead of a dictionary from hash to
    /// record: the 32-byte key is not stored a second time beside the entry that holds it (a 100,000-entry log
    /// is some 3 MB smaller), and a lookup by hash still allocates nothing.
    /// </summary>
    private sealed class RecordTable
    {
        private readonly HashSet<Record> _set = new(ByHash.Instance);
        private readonly HashSet<Record>.AlternateLookup<Hash> _byHash;

        public RecordTable() => _byHash = _set.GetAlternateLookup<Hash>();

        public int Count => _set.Count;

        public IEnumerable<Hash> Keys => _set.Select(r => r.Entry.Hash);

        public Record this[Hash hash] => _byHash.TryGetValue(hash, out var record) ? record : throw new KeyNotFoundException($"entry {hash.ToHex()} is not in the log");

        public bool ContainsKey(Hash hash) => _byHash.Contains(hash);

        public bool TryGetValue(Hash hash, [MaybeNullWhen(false)] out Record record) => _byHash.TryGetValue(hash, out record);

        public void Add(Record record)
        {
            if (!_set.Add(record)) throw new ArgumentException($"entry {record.Entry.Hash.ToHex()} is already in the log");
        }

        public void Clear() => _set.Clear();

        private sealed class ByHash : IEqualityComparer<Record>, IAlternateEqualityComparer<Hash, Record>
        {
            public static readonly ByHash Instance = new();

            public bool Equals(Record? x, Record? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Entry.Hash == y.Entry.Hash);

            public int GetHashCode(Record record) => record.Entry.Hash.GetHashCode();

            public bool Equals(Hash alternate, Record other) => alternate == other.Entry.Hash;

            public int GetHashCode(Hash alternate) => alternate.GetHashCode();

            public Record Create(Hash alternate) => throw new NotSupportedException("records are added whole");
        }
    }
}
