using System.Text.Json;
using Silk.Api.Batch;
using Silk.Api.Diagnostics;
using Silk.Api.Problems;
using Silk.Core.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Store;

namespace Silk.Api.Import;

/// <summary>
/// One <c>POST /import</c>: reads the NDJSON body line by line, applies the operations in chunks (each chunk one
/// <see cref="GraphStore.DrainAsync"/>, so its operations share durable commits), and skips invalid lines with
/// their reason instead of stopping. Memory is bounded by one chunk of operations and the first 1,000 errors.
/// </summary>
internal sealed class NdjsonImport(
    GraphStore store, JsonSerializerOptions json, ImportMetrics metrics, ILogger logger, OperationTracker.Operation? progress)
{
    public const int MaxReportedErrors = 1000;

    private readonly List<(int Line, GraphOp Op)> _pending = [];
    private readonly List<ImportLineError> _errors = [];
    private int _applied;
    private int _skipped;
    private int _blank;
    private int _chunks;
    private int _lastLine;
    private int? _lastCommitted;
    private int _errorCount;
    private int _chunkSkipped;
    private int _chunkApplied;

    public async Task<ImportResult> RunAsync(NdjsonLineReader lines, int fromLine, int chunkLines, CancellationToken cancellationToken)
    {
        try
        {
            while (await lines.NextAsync(cancellationToken) is { } line)
            {
                _lastLine = line.Number;
                progress?.Advance(line.BodyBytes);
                if (line.Number < fromLine) continue;
                Take(line);
                if (_pending.Count >= chunkLines) await CommitAsync(cancellationToken);
            }

            await CommitAsync(cancellationToken);
            if (_lastLine > 0) _lastCommitted = _lastLine; // trailing blank lines, or lines before from_line, are done too
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client left (or the body broke off): what is committed stays, and the log says where to resume.
            StoreLog.ImportInterrupted(logger, _lastCommitted ?? fromLine - 1, _applied, _skipped, ex.Message);
            throw;
        }

        return new ImportResult(fromLine, _lastLine, _applied, _skipped, _blank, _chunks, _lastCommitted, _errorCount, _errors);
    }

    private void Take(NdjsonLine line)
    {
        if (line.TooLong)
        {
            Skip(line.Number, StatusCodes.Status413PayloadTooLarge, "line_too_long", $"line {line.Number} is longer than the limit of a JSON body (setting Silk:MaxBodyBytes)");
            return;
        }

        if (BatchBodyReader.IsBlank(line.Bytes.Span))
        {
            _blank++;
            return;
        }

        var (operation, error) = BatchBodyReader.ParseLine(line.Bytes, _pending.Count, line.Number, json);
        if (operation is null)
        {
            Skip(line.Number, StatusCodes.Status400BadRequest, "malformed_line", error!);
            return;
        }

        _pending.Add((line.Number, operation.ToGraphOp()));
    }

    /// <summary>Applies the pending operations; one the store refuses is skipped and the rest of the chunk goes on.</summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var ops = _pending.Select(p => p.Op).ToArray();
        var start = 0;
        while (start < ops.Length)
        {
            // The rest of the chunk after a refused line, as a view: no copy per refusal.
            var result = await store.DrainAsync(new ArraySegment<GraphOp>(ops, start, ops.Length - start), cancellationToken);
            _chunkApplied += result.Applied.Count;
            if (result.Complete) break;
            var failed = start + result.FailedIndex!.Value;
            var status = ApiProblems.IsConflict(result.Error!) ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            Skip(_pending[failed].Line, status, result.Error!.Rule, result.Error.Message);
            start = failed + 1;
        }

        _pending.Clear();
        if (_chunkApplied == 0 && _chunkSkipped == 0) return;
        _chunks++;
        _applied += _chunkApplied;
        _lastCommitted = _lastLine;
        metrics.Committed(_chunkApplied, _chunkSkipped);
        StoreLog.ImportChunk(logger, _chunks, _lastLine, _chunkApplied, _chunkSkipped, _applied, _skipped);
        (_chunkApplied, _chunkSkipped) = (0, 0);
    }

    private void Skip(int line, int status, string rule, string detail)
    {
        _skipped++;
        _chunkSkipped++;
        _errorCount++;
        if (_errors.Count < MaxReportedErrors) _errors.Add(new ImportLineError(line, status, rule, detail));
    }
}
