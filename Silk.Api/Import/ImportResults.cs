namespace Silk.Api.Import;

/// <summary>What <c>POST /import</c> did.</summary>
/// <param name="FromLine">The first line it considered (<c>from_line</c>); the lines before it were read and passed over.</param>
/// <param name="LinesRead">Lines in the body, blank ones and those before <c>from_line</c> included.</param>
/// <param name="Applied">Operations applied (and durable).</param>
/// <param name="Skipped">Invalid lines, skipped: malformed, too long, or refused by the store (each is in <c>errors</c>, up to its cap).</param>
/// <param name="Blank">Blank lines, ignored.</param>
/// <param name="Chunks">Chunks committed (each one durable commit shared by its operations).</param>
/// <param name="LastCommittedLine">The last line done: every line up to it is applied and durable, or skipped. Resume after an interruption with <c>from_line</c> = this + 1. Null when no line was reached.</param>
/// <param name="ErrorCount">How many lines were skipped as invalid (all of them, also past the cap of <c>errors</c>).</param>
/// <param name="Errors">The invalid lines, in order: the first 1,000.</param>
public sealed record ImportResult(
    int FromLine,
    int LinesRead,
    int Applied,
    int Skipped,
    int Blank,
    int Chunks,
    int? LastCommittedLine,
    int ErrorCount,
    IReadOnlyList<ImportLineError> Errors);

/// <summary>One line that was skipped.</summary>
/// <param name="Line">Its number, from 1.</param>
/// <param name="Status">The status a single request with it would have got: 400 malformed, 413 too long, 409 a missing edge endpoint, 422 refused by a rule or a value limit.</param>
/// <param name="Rule">Why, as a rule name: <c>malformed_line</c>, <c>line_too_long</c>, or the store's rule (e.g. <c>missing_required_property</c>, <c>endpoint_not_found</c>, <c>value_limit</c>).</param>
/// <param name="Detail">The message.</param>
public sealed record ImportLineError(int Line, int Status, string Rule, string Detail);
