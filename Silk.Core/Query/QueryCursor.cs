using System.Buffers.Text;
using System.Text;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// Where the next page of a query starts: after the item with these sort values and id (in the query's order, which
/// ends with the id, so each item has one place), or, for a list in discovery order (after a follow, unsorted), after
/// this many items. Clients get it as an opaque token.
/// </summary>
public abstract record QueryCursor
{
    private const long KeyForm = 1;
    private const long OffsetForm = 2;

    /// <summary>The token for a client.</summary>
    public string Encode()
    {
        var value = this switch
        {
            KeyCursor k => Value.FromList([KeyForm, k.Id, Value.FromList([.. k.SortValues.Select(v => v is { } x ? Value.FromList([x]) : Value.FromList([]))])]),
            OffsetCursor o => Value.FromList([OffsetForm, o.Offset]),
            _ => throw new InvalidOperationException("unknown cursor"),
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ValueJson.ToJson(value)));
    }

    /// <summary>Reads a token; throws <see cref="SelectorException"/> at <paramref name="path"/> when it is not one.</summary>
    public static QueryCursor Decode(string token, string path)
    {
        ArgumentNullException.ThrowIfNull(token);
        Value value;
        try
        {
            value = ValueJson.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)));
        }
        catch (Exception ex) when (ex is FormatException or WireFormatException || ValueJson.IsParseFailure(ex))
        {
            throw Invalid(path);
        }

        if (value.Kind != ValueKind.List || value.AsList.Count == 0 || value.AsList[0].Kind != ValueKind.Int) throw Invalid(path);
        var parts = value.AsList;
        switch (parts[0].AsInt)
        {
            case KeyForm when parts.Count == 3 && parts[1].Kind == ValueKind.String && parts[2].Kind == ValueKind.List:
                var sortValues = new List<Value?>();
                foreach (var item in parts[2].AsList)
                {
                    if (item.Kind != ValueKind.List || item.AsList.Count > 1) throw Invalid(path);
                    sortValues.Add(item.AsList.Count == 1 ? (Value?)item.AsList[0] : null);
                }

                return new KeyCursor(sortValues, parts[1].AsString);
            case OffsetForm when parts.Count == 2 && parts[1].Kind == ValueKind.Int && parts[1].AsInt >= 0 && parts[1].AsInt <= int.MaxValue:
                return new OffsetCursor((int)parts[1].AsInt);
            default:
                throw Invalid(path);
        }
    }

    private static SelectorException Invalid(string path) => new(path, "is not a cursor: pass the `next` value of the previous page unchanged");
}

/// <summary>After the item with these sort key values (null: the item lacks that property) and this id.</summary>
public sealed record KeyCursor(IReadOnlyList<Value?> SortValues, string Id) : QueryCursor;

/// <summary>After the first <paramref name="Offset"/> items.</summary>
public sealed record OffsetCursor(int Offset) : QueryCursor;
