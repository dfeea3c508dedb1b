using System.Text.Json;
using Microsoft.Extensions.Options;
using Silk.Api.Hosting;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Api.Peers;

/// <summary>A known peer and how syncing with it has gone.</summary>
/// <param name="PeerId">The name this server knows the peer by.</param>
/// <param name="Address">The peer's base URL.</param>
/// <param name="LastSeenMs">Wall time (ms) of the last successful exchange, 0 if none (what compaction safety checks).</param>
/// <param name="LastSuccessMs">Same as last_seen_ms; kept under its own name for clarity.</param>
/// <param name="LastError">The last failure's message, null when none since the last success.</param>
/// <param name="LastErrorMs">Wall time (ms) of the last failure, 0 if none.</param>
/// <param name="ConsecutiveFailures">Failed exchanges since the last success.</param>
/// <param name="Exchanges">Successful exchanges since this server started.</param>
/// <param name="EntriesPulled">Entries received from the peer and new here, since this server started.</param>
/// <param name="EntriesPushed">Entries sent to the peer and new there, since this server started.</param>
/// <param name="NodeTypes">The node types pulled from this peer (the NodeTypes of its Silk:Peers entry): this server is a partial replica of them. Null when everything is pulled.</param>
/// <param name="BytesReceived">Sync message bytes received from the peer (its payloads and offers), since this server started.</param>
/// <param name="BytesSent">Sync message bytes sent to the peer, since this server started.</param>
/// <param name="OntologyHash">The peer's ontology hash when it was last compared (at the start of an exchange), null before.</param>
/// <param name="OntologyCompatibility">This store's ontology against the peer's at that time: <c>identical</c>, <c>superset</c> (we know more), <c>subset</c> (the peer knows more) or <c>divergent</c> (each knows something the other does not); null before the first comparison or when the peer does not tell. Advisory: sync goes on whatever it says.</param>
public sealed record PeerView(
    string PeerId, string Address, ulong LastSeenMs, ulong LastSuccessMs, string? LastError, ulong LastErrorMs,
    int ConsecutiveFailures, long Exchanges, long EntriesPulled, long EntriesPushed,
    IReadOnlyList<string>? NodeTypes, long BytesReceived, long BytesSent, string? OntologyHash, OntologyCompatibility? OntologyCompatibility);

/// <summary>The peer list of <c>GET /peers</c>.</summary>
/// <param name="Peers">Peers in id order.</param>
public sealed record PeerList(IReadOnlyList<PeerView> Peers);

/// <summary>
/// The peers of this server: the store's <see cref="PeerRegistry"/> (targets of gossip, input of the
/// compaction safety check) plus what each exchange did. The list (ids and addresses) is kept in the
/// store's metadata under <see cref="MetadataKey"/>, so it survives restarts; peers in <c>Silk:Peers</c>
/// are (re)registered at every start. Counters and errors live in memory. A <c>Silk:Peers</c> entry with
/// <c>NodeTypes</c> makes this server a partial replica (<see cref="PartialReplicaTypes"/>).
/// </summary>
public sealed class PeerDirectory
{
    public const string MetadataKey = "peers";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _apiKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _nodeTypes = new(StringComparer.Ordinal);
    private readonly StoreHost _host;
    private readonly TimeProvider _time;

    private sealed class State
    {
        public ulong LastSuccessMs;
        public string? LastError;
        public ulong LastErrorMs;
        public int ConsecutiveFailures;
        public long Exchanges;
        public long Pulled;
        public long Pushed;
        public long BytesReceived;
        public long BytesSent;
        public string? OntologyHash;
        public OntologyCompatibility? Compatibility;
    }

    private sealed record Stored(string PeerId, string Address);

    public PeerDirectory(StoreHost host, IConfiguration configuration, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(configuration);
        _host = host;
        _time = time ?? TimeProvider.System;
        var loaded = Load();
        foreach (var stored in loaded) Registry.Register(stored.PeerId, stored.Address);
        var seeds = configuration.GetSection(SilkOptions.SectionName + ":Peers").Get<List<PeerSeed>>() ?? [];
        foreach (var seed in seeds)
        {
            if ((Validate(seed.Id, seed.Address) ?? ValidateNodeTypes(seed.NodeTypes)) is { } problem)
            {
                throw new SilkSettingsException($"Setting Silk:Peers has a bad entry ({seed.Id}, {seed.Address}): {problem}");
            }

            if (!string.IsNullOrEmpty(seed.ApiKey)) _apiKeys[seed.Id] = seed.ApiKey;
            if (seed.NodeTypes is { Count: > 0 } types) _nodeTypes[seed.Id] = types.Distinct(StringComparer.Ordinal).ToList();
            if (Registry.List().Any(p => p.PeerId == seed.Id && p.Address == seed.Address)) continue;
            Registry.Register(seed.Id, seed.Address);
        }

        // Written only when the settings changed the list: most starts leave the store untouched.
        if (!Registry.List().Select(p => new Stored(p.PeerId, p.Address)).SequenceEqual(loaded)) Save();
    }

    private PeerRegistry Registry => _host.Store.Peers;

    /// <summary>
    /// Every node type this server pulls from some peer, in ordinal order, when any <c>Silk:Peers</c> entry names
    /// node types (this server is then a partial replica: its log is not any peer's whole history); else null.
    /// </summary>
    public IReadOnlyList<string>? PartialReplicaTypes =>
        _nodeTypes.Count == 0 ? null : _nodeTypes.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The node types to pull from a peer (the <c>Silk:Peers</c> entry with its id), or null for everything.</summary>
    public IReadOnlyList<string>? NodeTypesOf(string peerId) => _nodeTypes.GetValueOrDefault(peerId);

    private static string? ValidateNodeTypes(List<string>? nodeTypes)
    {
        if (nodeTypes is null) return null;
        if (nodeTypes.Any(string.IsNullOrWhiteSpace)) return "NodeTypes names an empty node type";
        return null;
    }

    /// <summary>Why an id or address is unusable, or null when fine.</summary>
    public static string? Validate(string? peerId, string? address)
    {
        if (string.IsNullOrWhiteSpace(peerId)) return "the peer id is empty";
        if (peerId.Length > 200) return "the peer id is longer than 200 characters";
        if (string.IsNullOrWhiteSpace(address)) return "the address is empty";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"'{address}' is not an absolute http:// or https:// URL";
        }

        return null;
    }

    /// <summary>
    /// The key to send to a peer (<see cref="PeerSeed.ApiKey"/> of the <c>Silk:Peers</c> entry with its id), or null.
    /// It follows the id: a peer added or moved with <c>PUT /peers</c> under a configured id uses that entry's key.
    /// </summary>
    public string? ApiKeyOf(string peerId) => _apiKeys.GetValueOrDefault(peerId);

    public IReadOnlyList<PeerView> List()
    {
        var peers = Registry.List();
        lock (_lock) return peers.Select(View).ToList();
    }

    public PeerView? Get(string peerId)
    {
        var peer = Registry.List().FirstOrDefault(p => p.PeerId == peerId);
        if (peer is null) return null;
        lock (_lock) return View(peer);
    }

    /// <summary>Adds a peer or changes its address (which resets its last sync time and counters).</summary>
    public PeerView Register(string peerId, string address)
    {
        var existing = Registry.List().FirstOrDefault(p => p.PeerId == peerId);
        if (existing?.Address != address)
        {
            Registry.Register(peerId, address);
            lock (_lock) _states.Remove(peerId);
            Save();
        }

        return Get(peerId)!;
    }

    public bool Remove(string peerId)
    {
        if (!Registry.Unregister(peerId)) return false;
        lock (_lock) _states.Remove(peerId);
        Save();
        return true;
    }

    public void RecordSuccess(string peerId, ExchangeResult result, long bytesSent = 0, long bytesReceived = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        Registry.RecordSync(peerId);
        lock (_lock)
        {
            var state = StateOf(peerId);
            state.BytesSent += bytesSent;
            state.BytesReceived += bytesReceived;
            state.LastSuccessMs = NowMs;
            state.LastError = null;
            state.ConsecutiveFailures = 0;
            state.Exchanges++;
            state.Pulled += result.Pulled;
            state.Pushed += result.Pushed;
        }
    }

    /// <summary>Keeps the verdict of the latest ontology comparison with the peer; returns the one it replaces.</summary>
    public OntologyCompatibility? RecordOntology(string peerId, string peerOntologyHash, OntologyCompatibility verdict)
    {
        lock (_lock)
        {
            var state = StateOf(peerId);
            var previous = state.Compatibility;
            state.OntologyHash = peerOntologyHash;
            state.Compatibility = verdict;
            return previous;
        }
    }

    public void RecordFailure(string peerId, string error, long bytesSent = 0, long bytesReceived = 0)
    {
        lock (_lock)
        {
            var state = StateOf(peerId);
            state.BytesSent += bytesSent;
            state.BytesReceived += bytesReceived;
            state.LastError = error;
            state.LastErrorMs = NowMs;
            state.ConsecutiveFailures++;
        }
    }

    private State StateOf(string peerId)
    {
        if (!_states.TryGetValue(peerId, out var state)) _states[peerId] = state = new State();
        return state;
    }

    private PeerView View(PeerInfo peer)
    {
        var s = _states.GetValueOrDefault(peer.PeerId) ?? new State();
        return new PeerView(peer.PeerId, peer.Address, peer.LastSeenMs, s.LastSuccessMs, s.LastError, s.LastErrorMs, s.ConsecutiveFailures, s.Exchanges, s.Pulled, s.Pushed,
            NodeTypesOf(peer.PeerId), s.BytesReceived, s.BytesSent, s.OntologyHash, s.Compatibility);
    }

    private List<Stored> Load()
    {
        var text = _host.Metadata.GetMetadata(MetadataKey);
        if (string.IsNullOrEmpty(text)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<Stored>>(text, Json)?.Where(s => Validate(s.PeerId, s.Address) is null).ToList() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private void Save()
    {
        var peers = Registry.List().Select(p => new Stored(p.PeerId, p.Address)).ToList();
        lock (_lock) _host.Metadata.SetMetadata(MetadataKey, JsonSerializer.Serialize(peers, Json));
    }

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
}
