using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Silk.Tests.Diagnostics;

/// <summary>One measurement as a listener saw it.</summary>
internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public bool Has(string key, string value) => Tags.TryGetValue(key, out var v) && v == value;
}

/// <summary>
/// A <see cref="MeterListener"/> on the named meters of ONE app (those its <see cref="IMeterFactory"/> created):
/// other apps running in the same test process, with meters of the same names, are not heard.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();

    public MetricRecorder(IMeterFactory scope, params string[] meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && meters.Contains(instrument.Meter.Name)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> so far (optionally only those with a tag value).</summary>
    public IReadOnlyList<Measured> Of(string instrument, string? tag = null, string? value = null) =>
        _measured.Where(m => m.Instrument == instrument && (tag is null || m.Has(tag, value!))).ToList();

    public double Sum(string instrument, string? tag = null, string? value = null) => Of(instrument, tag, value).Sum(m => m.Value);

    /// <summary>Collects the observable instruments now and returns the latest value of one (with a tag value).</summary>
    public double Observe(string instrument, string? tag = null, string? value = null)
    {
        _listener.RecordObservableInstruments();
        var last = Of(instrument, tag, value);
        return last.Count == 0 ? throw new InvalidOperationException($"{instrument} was never observed") : last[^1].Value;
    }

    /// <summary>Observes until the instrument reads <paramref name="expected"/> (an observable gauge of something that happens on another thread).</summary>
    public async Task ObserveUntil(string instrument, double expected, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Observe(instrument) != expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{instrument} stayed at {Observe(instrument)}, expected {expected}");
            await Task.Delay(20);
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags) dictionary[key] = tagValue?.ToString();
        _measured.Enqueue(new Measured(instrument.Name, value, dictionary));
    }

    public void Dispose() => _listener.Dispose();
}
