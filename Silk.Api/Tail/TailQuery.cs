using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>Parsing and limits of <c>GET /tail</c>'s query values and of the <c>Last-Event-ID</c> header.</summary>
public static class TailQuery
{
    public const string Now = "now";
    public const int DefaultTimeoutMs = 30_000;
    public const int MaxTimeoutMs = 60_000;
    public const int DefaultMaxCount = 1_000;
    public const int MaxMaxCount = 10_000;
    public const int MaxLast = 10_000;

    public const string CursorDescription =
        "Where to start: comma-separated hex entry hashes (the `cursor` of a previous answer, or the `id` of the last event received). "
        + "Empty or absent = from the beginning of the log; `now` = only entries that come after this request.";

    public const string TimeoutDescription =
        "Long poll: how long to wait when nothing is past the cursor, in milliseconds: default 30000, at most 60000 (larger values are clamped), 0 = answer at once. "
        + "Ignored by event streams, which stay open until the client leaves.";

    public const string MaxCountDescription = "Most entries read per answer (long poll) or per batch (stream): 1 to 10000, default 1000.";

    public const string LastDescription =
        "Start this many entries before now instead of at a cursor: the last `last` entries of the log in arrival order "
        + "(all of them when there are fewer), then what follows, exactly once as from any cursor. 0 to 10000; not together with `cursor` "
        + "(an event stream's Last-Event-ID still wins, so a reconnect resumes where it left off).";

    public const string TypesDescription =
        "Only events of these operations (comma-separated op tags, e.g. `add_node,remove_node`). The cursor still moves past the others.";

    /// <summary>
    /// A cursor from its text: empty or blank is the beginning (no hashes); otherwise comma-separated hex hashes.
    /// <c>now</c> is not handled here (it needs the store).
    /// </summary>
    public static bool TryParseCursor(string? text, out IReadOnlyList<Hash> cursor, out string? error)
    {
        cursor = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var hashes = new Hash[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!Hash.TryParseHex(parts[i], out hashes[i]))
            {
                error = $"cursor part '{Shorten(parts[i])}' is not an entry hash (64 hex characters)";
                return false;
            }
        }

        cursor = hashes;
        return true;
    }

    /// <summary>The timeout to use, or an error message.</summary>
    public static (TimeSpan Timeout, string? Error) Timeout(int? timeoutMs) => timeoutMs switch
    {
        null => (TimeSpan.FromMilliseconds(DefaultTimeoutMs), null),
        < 0 => (TimeSpan.Zero, $"timeout_ms must not be negative, got {timeoutMs}"),
        _ => (TimeSpan.FromMilliseconds(Math.Min(timeoutMs.Value, MaxTimeoutMs)), null),
    };

    /// <summary>The batch size to use, or an error message.</summary>
    public static (int MaxCount, string? Error) MaxCount(int? maxCount) => maxCount switch
    {
        null => (DefaultMaxCount, null),
        < 1 or > MaxMaxCount => (0, $"max_count must be between 1 and {MaxMaxCount}, got {maxCount}"),
        _ => (maxCount.Value, null),
    };

    /// <summary>How many entries before now to start (null when not asked), or an error message.</summary>
    public static (int? Last, string? Error) Last(int? last, string? cursor) => last switch
    {
        null => (null, null),
        < 0 or > MaxLast => (null, $"last must be between 0 and {MaxLast}, got {last}"),
        _ when cursor is not null => (null, "give either cursor or last, not both"),
        _ => (last, null),
    };

    /// <summary>The op filter (null = every op), or an error message naming an unknown tag.</summary>
    public static (OpFilter? Filter, string? Error) Types(string? types)
    {
        if (types is null) return (null, null);
        var tags = types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tags.Length == 0) return (null, "types must name at least one operation");
        foreach (var tag in tags)
        {
            if (!TailEvent.OpTags.Contains(tag))
            {
                return (null, $"types: '{Shorten(tag)}' is not an operation; use {string.Join(", ", TailEvent.OpTags)}");
            }
        }

        return (new OpFilter(tags), null);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>The <c>types</c> filter: which op tags to deliver.</summary>
public sealed class OpFilter(IEnumerable<string> tags)
{
    private readonly HashSet<string> _tags = new(tags, StringComparer.Ordinal);

    public bool Includes(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _tags.Contains(entry.Payload.Tag);
    }
}
