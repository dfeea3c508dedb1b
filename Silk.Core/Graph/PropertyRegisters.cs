using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// Per-key last-writer-wins registers of one node or edge. Keys stay sorted so the materialized
/// property map is built without sorting; the map handed to readers is cached until the next change.
/// </summary>
internal sealed class PropertyRegisters
{
    private string[] _keys = [];
    private Value[] _values = [];
    private Version[] _versions = [];
    private ValueMap? _view;

    public int Count => _keys.Length;

    /// <summary>Sets the key if <paramref name="version"/> beats the key's current writer. True when it changed.</summary>
    public bool Set(string key, Value value, Version version)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            if (!version.Beats(_versions[index])) return false;
            _values[index] = value;
            _versions[index] = version;
            _view = null;
            return true;
        }

        var at = ~index;
        _keys = Insert(_keys, at, key);
        _values = Insert(_values, at, value);
        _versions = Insert(_versions, at, version);
        _view = null;
        return true;
    }

    public bool TryGetValue(string key, out Value value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _values[index] : default;
        return index >= 0;
    }

    /// <summary>Each key with its value and the clock of the entry that wrote it, in key order.</summary>
    public IEnumerable<(string Key, Value Value, Clock.ClockStamp Clock)> Entries()
    {
        for (var i = 0; i < _keys.Length; i++) yield return (_keys[i], _values[i], _versions[i].Clock);
    }

    public void Clear()
    {
        _keys = [];
        _values = [];
        _versions = [];
        _view = null;
    }

    public ValueMap View => _view ??= _keys.Length == 0
        ? ValueMap.Empty
        : ValueMap.FromArrays((string[])_keys.Clone(), (Value[])_values.Clone());

    private int IndexOf(string key)
    {
        int lo = 0, hi = _keys.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = Utf8Order.CompareStrings(_keys[mid], key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }

        return ~lo;
    }

    private static T[] Insert<T>(T[] array, int index, T item)
    {
        var result = new T[array.Length + 1];
        Array.Copy(array, result, index);
        result[index] = item;
        Array.Copy(array, index, result, index + 1, array.Length - index);
        return result;
    }
}
