using System.Diagnostics.Metrics;
using Silk.Core.Diagnostics;

namespace Silk.Api.Import;

/// <summary><c>POST /import</c> on the <c>Silk</c> meter: lines by outcome (<c>applied</c>, <c>skipped</c>) as each chunk commits.</summary>
public sealed class ImportMetrics
{
    private readonly Counter<long> _lines;

    public ImportMetrics(SilkMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _lines = metrics.Meter.CreateCounter<long>("silk.import.lines", "{line}", "Lines of POST /import done, by outcome: applied (durable) or skipped (invalid).");
    }

    internal void Committed(int applied, int skipped)
    {
        if (applied > 0) _lines.Add(applied, new KeyValuePair<string, object?>("outcome", "applied"));
        if (skipped > 0) _lines.Add(skipped, new KeyValuePair<string, object?>("outcome", "skipped"));
    }
}
