using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// Per-key last-writer-wins registers of one node or edge, each remembering the entry that wrote it
/// (its clock and hash decide later contests). Compact on purpose, since there is one per entity:
/// the first add's property map is adopted as is (its arrays are shared until a key changes), and
/// while one entry wrote every key no per-key writer array exists.
/// </summary>
internal sealed class PropertyRegisters
{
    private string[] _keys = [];
    private Value[] _values = [];
    private Entry[]? _writers;
    private Entry? _soleWriter;
    private ValueMap? _view;
    private bool _sharesView;

    public int Count => _keys.Length;

    /// <summary>Folds a whole property map written by one entry.</summary>
    public void SetAll(ValueMap properties, Entry writer)
    {
        if (properties.Count == 0) return;
        if (_keys.Length == 0)
        {
            _keys = properties.KeysArray;
            _values = properties.ValuesArray;
            _writers = null;
            _soleWriter = writer;
            _view = properties;
            _sharesView = true;
            return;
        }

        var keys = properties.KeySpan;
        var values = properties.ValueSpan;
        for (var i = 0; i < keys.Length; i++) Set(keys[i], values[i], writer);
    }

    /// <summary>Sets the key if <paramref name="writer"/> beats the key's current writer. True when it changed.</summary>
    public bool Set(string key, Value value, Entry writer)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            if (!Version.Of(writer).Beats(Version.Of(WriterAt(index)))) return false;
            Unshare();
            _values[index] = value;
            SetWriter(index, writer);
            _view = null;
            return true;
        }

        var at = ~index;
        var writers = Writers();
        _keys = Insert(_keys, at, key);
        _values = Insert(_values, at, value);
        _writers = Insert(writers, at, writer);
        _soleWriter = null;
        _sharesView = false;
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
        for (var i = 0; i < _keys.Length; i++) yield return (_keys[i], _values[i], WriterAt(i).Clock);
    }

    /// <summary>Each key with its value and the entry that wrote it, in key order.</summary>
    public IEnumerable<(string Key, Value Value, Entry Writer)> Writes()
    {
        for (var i = 0; i < _keys.Length; i++) yield return (_keys[i], _values[i], WriterAt(i));
    }

    public void Clear()
    {
        _keys = [];
        _values = [];
        _writers = null;
        _soleWriter = null;
        _view = null;
        _sharesView = false;
    }

    public ValueMap View => _view ??= _keys.Length == 0 ? ValueMap.Empty : ValueMap.FromArrays((string[])_keys.Clone(), (Value[])_values.Clone());

    private Entry WriterAt(int index) => _writers?[index] ?? _soleWriter!;

    private Entry[] Writers()
    {
        if (_writers is not null) return _writers;
        var writers = new Entry[_keys.Length];
        Array.Fill(writers, _soleWriter);
        return writers;
    }

    private void SetWriter(int index, Entry writer)
    {
        if (_writers is null && ReferenceEquals(writer, _soleWriter)) return;
        _writers = Writers();
        _soleWriter = null;
        _writers[index] = writer;
    }

    // The adopted arrays belong to an entry's immutable map: copy them before the first change in place.
    private void Unshare()
    {
        if (!_sharesView) return;
        _keys = (string[])_keys.Clone();
        _values = (Value[])_values.Clone();
        _sharesView = false;
    }


    private int IndexOf(string key) => Utf8Order.BinarySearch(_keys, key);

    private static T[] Insert<T>(T[] array, int index, T item)
    {
        var result = new T[array.Length + 1];
        Array.Copy(array, result, index);
        result[index] = item;
        Array.Copy(array, index, result, index + 1, array.Length - index);
        return result;
    }
}
