namespace Silk.Api.Tail;

/// <summary>Settings of <c>GET /tail</c> in Server-Sent Events mode, from the <c>Silk:Tail</c> configuration section.</summary>
public sealed class TailOptions
{
    public const string SectionName = "Silk:Tail";

    /// <summary>A comment line is sent after this long without any other output, so proxies keep an idle stream open.</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>The reconnection delay the stream asks a browser <c>EventSource</c> to use (the <c>retry:</c> field).</summary>
    public int RetryMs { get; set; } = 2000;

    /// <summary>
    /// How long a stream's output buffer may stay full (the client reads nothing) before the server ends that
    /// stream. The client resumes from its last event id and loses nothing: the log is the buffer.
    /// </summary>
    public double SlowConsumerSeconds { get; set; } = 10;

    /// <summary>Output bytes a stream writes before it waits for the client to take them (its buffer bound, besides the server's own response buffer).</summary>
    public int BufferBytes { get; set; } = 32 * 1024;

    internal TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    internal TimeSpan SlowConsumer => TimeSpan.FromSeconds(SlowConsumerSeconds);

    /// <summary>Why these settings cannot work, or null when they can.</summary>
    internal string? Problem() =>
        HeartbeatSeconds is <= 0 or > 3600 || double.IsNaN(HeartbeatSeconds) ? $"Setting {SectionName}:HeartbeatSeconds is {HeartbeatSeconds}; it must be above 0 and at most 3600."
        : RetryMs < 0 ? $"Setting {SectionName}:RetryMs is {RetryMs}; it must not be negative."
        : SlowConsumerSeconds is <= 0 or > 3600 || double.IsNaN(SlowConsumerSeconds) ? $"Setting {SectionName}:SlowConsumerSeconds is {SlowConsumerSeconds}; it must be above 0 and at most 3600."
        : BufferBytes < 1024 ? $"Setting {SectionName}:BufferBytes is {BufferBytes}; it must be at least 1024."
        : null;
}
