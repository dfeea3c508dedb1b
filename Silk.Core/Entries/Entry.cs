using System.Buffers;
using MessagePack;
using Silk.Core.Clock;
using Silk.Core.Wire;

namespace Silk.Core.Entries;

/// <summary>Which entry layout to write: 7 fields (0.3.0 and later) or the 8-field layout 0.2.4 reads.</summary>
public enum EntryForm
{
    Current,
    Legacy8,
}

/// <summary>
/// One immutable, content-addressed oplog entry. The hash is BLAKE3 over the positional 5-tuple
/// <c>[payload, next, refs, clock, author]</c>. The entry keeps those signable bytes exactly as it was
/// created or received, so verifying is one hash over a span and an entry written by an older peer
/// (say 0.2.4's 3-field extension) keeps its hash when we forward it.
/// </summary>
public sealed class Entry
{
    public const int SignatureLength = 64;
    private const byte SignableHeader = 0x95;

    private readonly byte[] _signable;
    private readonly Hash[] _next;

    private Entry(Hash hash, GraphOp payload, Hash[] next, Hash[] refs, ClockStamp clock, string author, byte[]? signature, byte[] signable)
    {
        Hash = hash;
        Payload = payload;
        _next = next;
        Refs = refs;
        Clock = clock;
        Author = author;
        Signature = signature;
        _signable = signable;
    }

    public Hash Hash { get; }

    public GraphOp Payload { get; }

    /// <summary>Causal parents: the author's heads when it wrote this entry. Empty for roots.</summary>
    public IReadOnlyList<Hash> Next => _next;

    /// <summary>The parents as a span: walking them this way allocates no enumerator (hot in every append).</summary>
    internal ReadOnlySpan<Hash> NextSpan => _next;

    /// <summary>Reserved by the original, always empty, still hashed.</summary>
    public IReadOnlyList<Hash> Refs { get; }

    public ClockStamp Clock { get; }

    public string Author { get; }

    /// <summary>Optional ed25519 signature over the 32 hash bytes; not covered by the hash.</summary>
    public byte[]? Signature { get; }

    /// <summary>The exact bytes the hash is taken over.</summary>
    public ReadOnlySpan<byte> SignableBytes => _signable;

    public bool IsRoot => _next.Length == 0;

    /// <param name="refs">Reserved by the original and empty in everything it writes, but hashed: an entry that
    /// carries refs (entries.json <c>remove_node_with_refs</c>) can only be rebuilt with them.</param>
    public static Entry Create(
        GraphOp payload, IReadOnlyList<Hash> next, ClockStamp clock, string author, byte[]? signature = null, IReadOnlyList<Hash>? refs = null)
    {
        ArgumentNullException.ThrowIfNull(next);
        return CreateOwned(payload, next.Count == 0 ? [] : next.ToArray(), clock, author, signature, refs);
    }

    /// <summary>As <see cref="Create"/>, taking ownership of <paramref name="next"/> (the caller must not change it).</summary>
    internal static Entry CreateOwned(
        GraphOp payload, Hash[] next, ClockStamp clock, string author, byte[]? signature = null, IReadOnlyList<Hash>? refs = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(author);
        var nextArray = next;
        var refsArray = refs is null || refs.Count == 0 ? [] : refs.ToArray();
        var buffer = MsgPack.Buffer;
        buffer.ResetWrittenCount();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(5);
        GraphOpCodec.Write(ref w, payload);
        MsgPack.WriteHashList(ref w, nextArray);
        MsgPack.WriteHashList(ref w, refsArray);
        clock.Write(ref w);
        w.Write(author);
        w.Flush();
        var signable = buffer.WrittenSpan.ToArray();
        return new Entry(Hash.Compute(signable), payload, nextArray, refsArray, clock, author, signature, signable);
    }

    public Entry WithSignature(byte[]? signature) =>
        new(Hash, Payload, _next, (Hash[])Refs, Clock, Author, signature, _signable);

    /// <summary>Recomputes the hash over the signable bytes as held (no re-encoding, no allocation).</summary>
    public bool VerifyHash() => Hash.Compute(_signable) == Hash;

    /// <summary>Size of the encoded entry in bytes.</summary>
    public int EncodedLength(EntryForm form = EntryForm.Current) =>
        1 + HashEncodedLength(Hash) + (_signable.Length - 1) + SignatureEncodedLength + (form == EntryForm.Legacy8 ? 1 : 0);

    private int SignatureEncodedLength => Signature is null ? 1 : 3 + Signature.Sum(b => b >= 0x80 ? 2 : 1);

    private static int HashEncodedLength(Hash hash)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        hash.CopyTo(bytes);
        var n = 3;
        foreach (var b in bytes) n += b >= 0x80 ? 2 : 1;
        return n;
    }

    public void Write(ref MessagePackWriter w, EntryForm form = EntryForm.Current)
    {
        w.WriteArrayHeader(form == EntryForm.Legacy8 ? 8 : 7);
        MsgPack.WriteHash(ref w, Hash);
        w.WriteRaw(_signable.AsSpan(1));
        if (Signature is null) w.WriteNil();
        else MsgPack.WriteByteArrayAsInts(ref w, Signature);
        if (form == EntryForm.Legacy8) w.WriteNil();
    }

    public void WriteTo(IBufferWriter<byte> output, EntryForm form = EntryForm.Current)
    {
        var w = new MessagePackWriter(output);
        Write(ref w, form);
        w.Flush();
    }

    public byte[] ToBytes(EntryForm form = EntryForm.Current)
    {
        var buffer = MsgPack.Buffer;
        buffer.ResetWrittenCount();
        WriteTo(buffer, form);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes one entry. Errors carry the bare decoder text, as the original's <c>Entry::from_bytes</c> reports
    /// them (e.g. "invalid type: map, expected an Entry as a 7-element sequence (or legacy 8-element)").
    /// </summary>
    public static Entry Decode(ReadOnlyMemory<byte> bytes) =>
        MsgPack.DecodeWhole(bytes, null, static (ref MessagePackReader r) => Read(ref r));

    /// <summary>
    /// Reads the 7-field form, the 6-field form (no signature) and 0.2.4's 8-field form (trailing
    /// ontology_hash, discarded). A map-form entry is refused, as the original refuses it.
    /// </summary>
    public static Entry Read(ref MessagePackReader r)
    {
        var code = MsgPack.PeekCode(ref r);
        if (MsgPack.NextIsMap(ref r))
        {
            throw new WireFormatException("invalid type: map, expected an Entry as a 7-element sequence (or legacy 8-element)");
        }

        if (!MsgPack.NextIsArray(ref r)) throw MsgPack.WrongMarker(code);
        var fields = MsgPack.ReadArrayHeader(ref r);
        if (fields is < 6 or > 8)
        {
            throw new WireFormatException($"invalid length {fields}, expected an Entry as a 7-element sequence (or legacy 8-element)");
        }

        var hash = MsgPack.ReadHash(ref r);
        var start = r.Position;
        var payload = GraphOpCodec.Read(ref r);
        var next = MsgPack.ReadHashList(ref r);
        var refs = MsgPack.ReadHashList(ref r);
        var clock = ClockStamp.Read(ref r);
        var author = MsgPack.ReadName(ref r);
        var body = r.Sequence.Slice(start, r.Position);
        var signable = new byte[body.Length + 1];
        signable[0] = SignableHeader;
        body.CopyTo(signable.AsSpan(1));

        byte[]? signature = null;
        if (fields >= 7 && !MsgPack.TryReadNil(ref r))
        {
            signature = MsgPack.ReadByteList(ref r);
        }

        if (fields == 8 && !MsgPack.TryReadNil(ref r))
        {
            _ = MsgPack.ReadHash(ref r);
        }

        return new Entry(hash, payload, next, refs, clock, author, signature, signable);
    }

    public override string ToString() => $"{Payload.Tag} {Hash.ToHex()[..12]} by {Author} at {Clock}";
}
