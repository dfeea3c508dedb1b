using Silk.Core.Query;

namespace Silk.Api.Paging;

/// <summary>The <c>limit</c> and <c>after</c> query values of a paged list.</summary>
public static class PageQuery
{
    public const string LimitDescription = "Page size: 1 to 1000, default 100.";

    public const string AfterDescription = "Cursor: the `next` value of the previous page (the last id seen). Omit for the first page.";

    /// <summary>The limit to use, or an error message for the client.</summary>
    public static (int Limit, string? Error) Limit(int? limit) => limit switch
    {
        null => (CursorPaging.DefaultLimit, null),
        < 1 or > CursorPaging.MaxLimit => (0, $"limit must be between 1 and {CursorPaging.MaxLimit}, got {limit}"),
        _ => (limit.Value, null),
    };
}
