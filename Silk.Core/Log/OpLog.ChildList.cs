using System.Collections;

namespace Silk.Core.Log;

public sealed partial class OpLog
{
    /// <summary>A record's children as a list, over its compact storage (none, one record, or an array).</summary>
    private readonly struct ChildList(object? children) : IReadOnlyList<Record>
    {
        public int Count => children switch
        {
            null => 0,
            Record => 1,
            _ => ((Record[])children).Length,
        };

        public Record this[int index] => children switch
        {
            Record only when index == 0 => only,
            Record[] many => many[index],
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public Enumerator GetEnumerator() => new(this);

        IEnumerator<Record> IEnumerable<Record>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public struct Enumerator(ChildList list) : IEnumerator<Record>
        {
            private int _index = -1;

            public readonly Record Current => list[_index];

            readonly object IEnumerator.Current => Current;

            public bool MoveNext() => ++_index < list.Count;

            public void Reset() => _index = -1;

            public readonly void Dispose()
            {
            }
        }
    }
}
