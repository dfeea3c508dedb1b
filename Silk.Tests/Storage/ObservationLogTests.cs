using Microsoft.Extensions.Time.Testing;
using Silk.Storage;

namespace Silk.Tests.Storage;

public sealed class ObservationLogTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void Append_query_latest_sources_count_and_truncate()
    {
        using var dir = new TempFolder();
        var time = new FakeTimeProvider(Start);
        using var log = new ObservationLog(dir.File("observations.db"), time: time);
        var t0 = Start.ToUnixTimeMilliseconds();

        var first = log.Append("cpu", 0.5, new Dictionary<string, string> { ["host"] = "a", ["odd.key $"] = "v" });
        Assert.Equal(t0, first.TimestampMs);
        time.Advance(TimeSpan.FromMilliseconds(10));
        log.Append("cpu", 0.7);
        log.Append("mem", 100);
        time.Advance(TimeSpan.FromMilliseconds(10));
        log.Append("cpu", 0.9);

        Assert.Equal([0.5, 0.7, 0.9], log.Query("cpu", t0).Select(o => o.Value));
        Assert.Equal([0.7, 0.9], log.Query("cpu", t0 + 1).Select(o => o.Value));
        Assert.Equal([0.5, 0.7], log.Query("cpu", t0, t0 + 10).Select(o => o.Value));
        Assert.Empty(log.Query("cpu", t0 + 21));
        Assert.Empty(log.Query("nobody", 0));
        Assert.Equal("a", log.Query("cpu", t0)[0].Metadata["host"]);
        Assert.Equal("v", log.Query("cpu", t0)[0].Metadata["odd.key $"]);
        Assert.Empty(log.Query("cpu", t0)[1].Metadata);
        Assert.Equal(0.9, log.Latest("cpu")!.Value);
        Assert.Equal(t0 + 20, log.Latest("cpu")!.TimestampMs);
        Assert.Null(log.Latest("nobody"));
        Assert.Equal(["cpu", "mem"], log.Sources());
        Assert.Equal(4, log.Count());

        Assert.Equal(3, log.Truncate(t0 + 10 + 1)); // cpu@0, cpu@10 and mem@10
        Assert.Equal(1, log.Count());
        Assert.Equal(["cpu"], log.Sources());
        Assert.Equal([0.9], log.Query("cpu", 0).Select(o => o.Value));
    }

    [Fact]
    public void Two_samples_of_one_source_in_the_same_millisecond_are_both_kept()
    {
        using var dir = new TempFolder();
        var time = new FakeTimeProvider(Start);
        using var log = new ObservationLog(dir.File("observations.db"), time: time);
        log.Append("s", 1);
        log.Append("s", 2);
        log.Append("s", 3);
        var samples = log.Query("s", 0);
        Assert.Equal([1.0, 2.0, 3.0], samples.Select(o => o.Value));
        Assert.All(samples, o => Assert.Equal(Start.ToUnixTimeMilliseconds(), o.TimestampMs));
        Assert.Equal(3.0, log.Latest("s")!.Value);
    }

    [Fact]
    public void Samples_older_than_the_max_age_are_pruned_automatically()
    {
        using var dir = new TempFolder();
        var time = new FakeTimeProvider(Start);
        var path = dir.File("observations.db");
        using (var log = new ObservationLog(path, TimeSpan.FromMinutes(10), time))
        {
            log.Append("old", 1);
            time.Advance(TimeSpan.FromMinutes(5));
            log.Append("mid", 2);
            time.Advance(TimeSpan.FromMinutes(6)); // "old" is 11 minutes old now
            log.Append("new", 3);
            Assert.Equal(["mid", "new"], log.Sources());
            Assert.Equal(2, log.Count());

            time.Advance(TimeSpan.FromSeconds(30)); // pruning runs at most once a minute
            log.Append("new", 4);
            Assert.Equal(3, log.Count());
        }

        time.Advance(TimeSpan.FromMinutes(20));
        using var reopened = new ObservationLog(path, TimeSpan.FromMinutes(10), time);
        Assert.Equal(0, reopened.Count()); // pruned on open
        Assert.Empty(reopened.Sources());
    }

    [Fact]
    public void Samples_survive_reopen_and_same_millisecond_samples_after_it_too()
    {
        using var dir = new TempFolder();
        var time = new FakeTimeProvider(Start);
        var path = dir.File("observations.db");
        using (var log = new ObservationLog(path, time: time))
        {
            log.Append("s", 1, new Dictionary<string, string> { ["k"] = "v" });
        }

        using var again = new ObservationLog(path, time: time);
        again.Append("s", 2);
        Assert.Equal([1.0, 2.0], again.Query("s", 0).Select(o => o.Value));
        Assert.Equal("v", again.Query("s", 0)[0].Metadata["k"]);
    }

    [Fact]
    public void Source_names_are_limited_to_65535_utf8_bytes()
    {
        using var dir = new TempFolder();
        using var log = new ObservationLog(dir.File("observations.db"));
        var longest = new string('a', 65_535);
        log.Append(longest, 1);
        Assert.Equal(longest, log.Sources().Single());
        Assert.Equal(1.0, log.Latest(longest)!.Value);
        Assert.Throws<ArgumentException>(() => log.Append(new string('a', 65_536), 1));
        Assert.Throws<ArgumentException>(() => log.Append(new string('é', 32_768), 1)); // 65,536 bytes
    }

    [Fact]
    public void A_second_instance_on_one_file_is_refused()
    {
        using var dir = new TempFolder();
        using var log = new ObservationLog(dir.File("observations.db"));
        Assert.Throws<IOException>(() => new ObservationLog(dir.File("observations.db")));
    }
}
