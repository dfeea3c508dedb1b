using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Silk.Api.Oplog;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Api.Sync;

/// <summary>What a merge of a peer's entries did.</summary>
/// <param name="Inserted">Entries that were new here and are now in the log (and durable).</param>
/// <param name="AlreadyKnown">Entries this store already had.</param>
/// <param name="Dropped">Entries left out by a filter (clock too far ahead, signature policy), with the reason.</param>
/// <param name="Pending">Entries held back until their missing parents arrive (delta pushes only).</param>
/// <param name="MissingParents">Parents still missing: send them (POST /sync/payload again) to release the pending entries.</param>
/// <param name="Heads">The log's heads afterwards.</param>
public sealed record SyncMergeResult(
    int Inserted, int AlreadyKnown, IReadOnlyList<DroppedEntryView> Dropped, int Pending,
    IReadOnlyList<string> MissingParents, IReadOnlyList<string> Heads)
{
    public static SyncMergeResult From(MergeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new SyncMergeResult(
            result.Inserted, result.AlreadyKnown, result.Dropped.Select(d => new DroppedEntryView(d.Hash.ToHex(), d.Reason)).ToList(),
            result.Pending, result.MissingParents.Select(h => h.ToHex()).ToList(), result.Heads.Select(h => h.ToHex()).ToList());
    }
}

/// <summary>An entry a merge left out.</summary>
/// <param name="Hash">The entry's hash.</param>
/// <param name="Reason">Why it was dropped.</param>
public sealed record DroppedEntryView(string Hash, string Reason);

/// <summary>A sync offer rendered for people (the wire form is MessagePack).</summary>
/// <param name="ProtocolVersion">Sync protocol version (3 = silk-graph 0.4.x).</param>
/// <param name="Heads">The log's heads.</param>
/// <param name="PhysicalMs">The store's clock: milliseconds.</param>
/// <param name="Logical">The store's clock: logical counter.</param>
/// <param name="BloomBits">Size of the bloom filter over every entry hash, in bits.</param>
/// <param name="BloomHashes">Probes per hash in the bloom filter.</param>
/// <param name="BloomCount">Hashes inserted in the bloom filter (the log's entry count).</param>
public sealed record SyncOfferView(uint ProtocolVersion, IReadOnlyList<string> Heads, ulong PhysicalMs, uint Logical, ulong BloomBits, uint BloomHashes, ulong BloomCount)
{
    public static SyncOfferView From(SyncOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new SyncOfferView(offer.ProtocolVersion, offer.Heads.Select(h => h.ToHex()).ToList(), offer.PhysicalMs, offer.Logical, offer.Bloom.NumBits, offer.Bloom.NumHashes, offer.Bloom.Count);
    }
}

/// <summary>A sync payload rendered for people.</summary>
/// <param name="Entries">Entries the offer's sender lacks, parents first.</param>
/// <param name="Need">Heads of the offer's sender that this store lacks.</param>
public sealed record SyncPayloadView(IReadOnlyList<LogEntry> Entries, IReadOnlyList<string> Need)
{
    public static SyncPayloadView From(SyncPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new SyncPayloadView(payload.Entries.Select(LogEntry.From).ToList(), payload.Need.Select(h => h.ToHex()).ToList());
    }
}

/// <summary>Documents a 200 answer in MessagePack (a binary string in the OpenAPI document).</summary>
public sealed class MsgPackBytes
{
}

/// <summary>A 200 answer of MessagePack bytes (<c>application/msgpack</c>).</summary>
public sealed class MsgPackResult(byte[] bytes) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public byte[] Bytes { get; } = bytes;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = SyncBody.MediaType;
        httpContext.Response.ContentLength = Bytes.Length;
        return httpContext.Response.Body.WriteAsync(Bytes).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(MsgPackBytes), [SyncBody.MediaType]));
    }
}
