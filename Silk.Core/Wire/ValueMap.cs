using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Silk.Core.Wire;

/// <summary>
/// An immutable string-keyed map kept in UTF-8 byte order (the order Rust's BTreeMap encodes in).
/// Two parallel arrays: compact, and lookups are a binary search.
/// </summary>
public sealed class ValueMap : IReadOnlyDictionary<string, Value>, IEquatable<ValueMap>
{
    private readonly string[] _keys;
    private readonly Value[] _values;

    public static ValueMap Empty { get; } = new([], []);

    private ValueMap(string[] keys, Value[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>Builds a map; a repeated key keeps its last value (as JSON objects and serde do).</summary>
    public static ValueMap From(IEnumerable<KeyValuePair<string, Value>> pairs)
    {
        var list = pairs as IReadOnlyCollection<KeyValuePair<string, Value>> ?? pairs.ToList();
        if (list.Count == 0) return Empty;
        var keys = new string[list.Count];
        var values = new Value[list.Count];
        var i = 0;
        foreach (var (k, v) in list)
        {
            ArgumentNullException.ThrowIfNull(k);
            keys[i] = k;
            values[i] = v;
            i++;
        }

        return FromArrays(keys, values);
    }

    /// <summary>Takes ownership of the arrays (callers must not keep them).</summary>
    internal static ValueMap FromArrays(string[] keys, Value[] values)
    {
        if (keys.Length == 0) return Empty;
        if (!IsStrictlySorted(keys))
        {
            if (keys.Length <= SmallMap) SortSmallInPlace(ref keys, ref values);
            else SortLarge(ref keys, ref values);
        }

        return new ValueMap(KeySetPool.Intern(keys), values);
    }

    public static ValueMap Of(params (string Key, Value Value)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Length == 0) return Empty;
        var keys = new string[pairs.Length];
        var values = new Value[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(pairs[i].Key);
            (keys[i], values[i]) = pairs[i];
        }

        return FromArrays(keys, values);
    }

    // Property maps are small: sorting them in place (stably, so that the last of equal keys wins) allocates nothing.
    private const int SmallMap = 16;

    private static void SortSmallInPlace(ref string[] keys, ref Value[] values)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            var (key, value) = (keys[i], values[i]);
            var j = i - 1;
            for (; j >= 0 && Utf8Order.CompareStrings(keys[j], key) > 0; j--)
            {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
            }

            keys[j + 1] = key;
            values[j + 1] = value;
        }

        var kept = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (kept > 0 && string.Equals(keys[kept - 1], keys[i], StringComparison.Ordinal))
            {
                values[kept - 1] = values[i];
                continue;
            }

            keys[kept] = keys[i];
            values[kept] = values[i];
            kept++;
        }

        if (kept == keys.Length) return;
        keys = keys[..kept];
        values = values[..kept];
    }

    private static void SortLarge(ref string[] keys, ref Value[] values)
    {
        // Stable sort so that, among equal keys, the last one written is last and wins below.
        var original = keys;
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = Utf8Order.CompareStrings(original[a], original[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var sortedKeys = new List<string>(keys.Length);
        var sortedValues = new List<Value>(keys.Length);
        foreach (var idx in order)
        {
            if (sortedKeys.Count > 0 && string.Equals(sortedKeys[^1], keys[idx], StringComparison.Ordinal))
            {
                sortedValues[^1] = values[idx];
                continue;
            }

            sortedKeys.Add(keys[idx]);
            sortedValues.Add(values[idx]);
        }

        keys = sortedKeys.ToArray();
        values = sortedValues.ToArray();
    }

    private static bool IsStrictlySorted(string[] keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (Utf8Order.CompareStrings(keys[i - 1], keys[i]) >= 0) return false;
        }

        return true;
    }

    public int Count => _keys.Length;

    public ReadOnlySpan<string> KeySpan => _keys;

    /// <summary>The backing arrays, for owners that promise never to change them in place.</summary>
    internal string[] KeysArray => _keys;

    internal Value[] ValuesArray => _values;

    public ReadOnlySpan<Value> ValueSpan => _values;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<Value> Values => _values;

    public Value this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    private int IndexOf(string key) => Utf8Order.BinarySearch(_keys, key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : default;
        return i >= 0;
    }


    /// <summary>A new map with <paramref name="key"/> set (or replaced).</summary>
    public ValueMap With(string key, Value value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            var values = (Value[])_values.Clone();
            values[i] = value;
            return new ValueMap(_keys, values);
        }

        var insertAt = ~IndexOf(key);
        var newKeys = new string[_keys.Length + 1];
        var newValues = new Value[_values.Length + 1];
        Array.Copy(_keys, newKeys, insertAt);
        Array.Copy(_values, newValues, insertAt);
        newKeys[insertAt] = key;
        newValues[insertAt] = value;
        Array.Copy(_keys, insertAt, newKeys, insertAt + 1, _keys.Length - insertAt);
        Array.Copy(_values, insertAt, newValues, insertAt + 1, _values.Length - insertAt);
        return new ValueMap(newKeys, newValues);
    }


    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<string, Value>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueMap? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Count != Count) return false;
        for (var i = 0; i < _keys.Length; i++)
        {
            if (!string.Equals(_keys[i], other._keys[i], StringComparison.Ordinal) || !_values[i].Equals(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is ValueMap m && Equals(m);

    public override int GetHashCode() => Count;
}
