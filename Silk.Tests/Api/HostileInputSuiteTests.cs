using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Signing;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Signing;

namespace Silk.Tests.Api;

/// <summary>
/// A generated hostile-input suite over every route of the real app (issue #9): seeded random mutations of
/// the tables in <see cref="HostileInputs"/> — broken, deeply nested, mistyped, huge and invalid-UTF-8 JSON,
/// oversized and chunked bodies, invalid ids, invalid and stale cursors, random, truncated and flipped
/// MessagePack, entries with bad hashes and bad signatures. Each request must get an answer below 500, every
/// 4xx must be problem+json, and every refused request (and every entry dropped by the signature policy) must
/// leave the store's heads and entry count as they were. <see cref="NoServerErrorForClientInputTests"/> sends
/// the tables exhaustively; this suite samples them with a seed, adds the binary and id cases, and counts.
/// </summary>
public sealed class HostileInputSuiteTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private const int Seed = 20_261_127;
    private const int MinimumCases = 300;
    private const string SignerId = "h-signer";

    /// <summary>One generated request. <paramref name="MustBeRefused"/>: the input is wrong whatever the store holds, so a 4xx is required.</summary>
    /// <paramref name="MustNotChange"/>: the store must be unchanged even by a 2xx answer. <paramref name="Check"/>: what else a 2xx answer must show (null when fine).
    private sealed record HostileCase(
        string Route, string What, Func<HttpRequestMessage> Build, bool MustBeRefused, bool MustNotChange = false, Func<string, string?>? Check = null);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Generated_hostile_requests_on_every_route_are_refused_with_problems_and_change_nothing()
    {
        await SeedStore();
        var random = new Random(Seed);
        var cases = new List<HostileCase>();
        cases.AddRange(JsonBodyCases(random));
        cases.AddRange(IdCases(random));
        cases.AddRange(QueryCases(random));
        cases.AddRange(SyncCases(random));
        cases.AddRange(ImportCases(random));

        var failures = new List<string>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var executed = 0;
        foreach (var hostile in cases)
        {
            var heads = factory.Host.Store.Heads;
            var count = factory.Host.Store.EntryCount;
            using var request = hostile.Build();
            using var response = await _client.SendAsync(request);
            executed++;
            covered.Add(hostile.Route);
            var status = (int)response.StatusCode;
            var label = $"{hostile.Route} [{hostile.What}]";
            if (await HostileInputs.ProblemWith(response) is { } problem)
            {
                failures.Add($"{label}: {problem}");
                continue;
            }

            if (status >= 400) await CheckProblemBody(label, response, failures);
            if (status < 400 && hostile.Check?.Invoke(await response.Content.ReadAsStringAsync()) is { } wrong) failures.Add($"{label}: {wrong}");
            if (hostile.MustBeRefused && status < 400) failures.Add($"{label}: {status}, expected a 4xx: {Shorten(await response.Content.ReadAsStringAsync())}");
            if ((status >= 400 || hostile.MustNotChange) && (!heads.SequenceEqual(factory.Host.Store.Heads) || count != factory.Host.Store.EntryCount)
                && !(status is 409 or 422 && await StoppedBatchApplied(response) is { } applied && factory.Host.Store.EntryCount == count + applied))
            {
                failures.Add($"{label}: {status}, but the store changed ({count} → {factory.Host.Store.EntryCount} entries)");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {executed} failed:\n" + string.Join("\n", failures.Take(30)));
        Assert.True(executed >= MinimumCases, $"only {executed} hostile requests were generated");
        var uncovered = Routes().Where(r => !covered.Contains(r)).ToList();
        Assert.True(uncovered.Count == 0, "routes without a hostile request: " + string.Join(", ", uncovered));

        // Still alive and ready after all of it.
        using var health = await _client.Get("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await _client.Get("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>The nodes and edge the valid bodies name, and an author whose signatures are checked.</summary>
    private async Task SeedStore()
    {
        using var check = await _client.Get("/nodes/h-node");
        if (check.StatusCode == HttpStatusCode.OK) return;
        await _client.CreateNode("h-node", "person", """{"name":"h"}""");
        await _client.CreateNode("h-other");
        await _client.CreateEdge("h-edge", "h-node", "h-other");
        using var trust = await _client.PutJson($"/signing/authors/{SignerId}", $$"""{"public_key":"{{SigningFixtures.Test2Public}}"}""");
        await trust.Json(HttpStatusCode.OK);
    }

    // ---- JSON bodies -------------------------------------------------------------------------------

    private static IEnumerable<HostileCase> JsonBodyCases(Random random)
    {
        // POST /import answers broken lines with 200 and skips them: see ImportCases.
        foreach (var (route, valid) in HostileInputs.ValidBodies.Where(b => b.Key != "POST /import"))
        {
            var (method, path) = Split(route);
            var root = System.Text.Json.Nodes.JsonNode.Parse(valid)!;
            var fields = HostileInputs.Fields(root).Select(f => f.Path).ToList();
            var bytes = Encoding.UTF8.GetBytes(valid);

            for (var i = 0; i < 4; i++)
            {
                var cut = random.Next(1, bytes.Length);
                yield return Json(route, method, path, bytes[..cut], $"truncated at {cut}", refused: true);
            }

            for (var i = 0; i < 3; i++)
            {
                var depth = random.Next(65, 5_000);
                var field = Pick(random, fields);
                var body = random.Next(2) == 0 ? HostileInputs.Nested(depth, '[', ']') : HostileInputs.Nested(depth, "{\"a\":", "}");
                yield return Json(route, method, path, Encoding.UTF8.GetBytes(HostileInputs.Replace(root, field, body)), $"{string.Join('.', field)} nested {depth} deep", refused: true);
            }

            for (var i = 0; i < 3; i++)
            {
                var field = Pick(random, fields);
                var value = Pick(random, HostileInputs.HostileValues);
                yield return Json(route, method, path, Encoding.UTF8.GetBytes(HostileInputs.Replace(root, field, value)), $"{string.Join('.', field)} = {Shorten(value)}", refused: false);
            }

            var huge = Pick(random, fields);
            yield return Json(route, method, path, Encoding.UTF8.GetBytes(HostileInputs.Replace(root, huge, "\"" + new string('s', random.Next(1_100_000, 1_300_000)) + "\"")), $"{string.Join('.', huge)} = a string over the body limit", refused: true);

            var longList = Pick(random, fields);
            var items = random.Next(10_001, 40_000);
            yield return Json(route, method, path, Encoding.UTF8.GetBytes(HostileInputs.Replace(root, longList, "[" + string.Join(",", Enumerable.Repeat("7", items)) + "]")), $"{string.Join('.', longList)} = a list of {items} numbers", refused: true);

            for (var i = 0; i < 2; i++)
            {
                var noise = new byte[random.Next(1, 2_000)];
                random.NextBytes(noise);
                yield return Json(route, method, path, noise, $"{noise.Length} random bytes", refused: true);
            }

            // A byte that is never UTF-8, inside the first property name.
            var quote = Array.IndexOf(bytes, (byte)'"');
            yield return Json(route, method, path, [.. bytes[..(quote + 1)], 0xFF, .. bytes[(quote + 1)..]], "invalid UTF-8", refused: true);

            yield return new HostileCase(route, "valid body as text/plain", () => Request(method, path, bytes, "text/plain"), MustBeRefused: true);

            var oversized = random.Next(1_100_000, 1_500_000);
            yield return new HostileCase(route, $"chunked body of {oversized} bytes", () => new HttpRequestMessage(method, ApiTestClient.U(path))
            {
                Content = new UnsizedContent(Encoding.UTF8.GetBytes(valid + new string(' ', oversized)), "application/json"),
            }, MustBeRefused: true);
        }
    }

    private static HostileCase Json(string route, HttpMethod method, string path, byte[] body, string what, bool refused) =>
        new(route, what, () => Request(method, path, body, "application/json"), refused);

    // ---- NDJSON import ---------------------------------------------------------------------------------

    /// <summary>
    /// <c>POST /import</c> skips an invalid line instead of refusing the request: a body of broken lines must be
    /// answered 200 with every line skipped (none applied) and leave the store as it was; a wrong media type or
    /// query is a 4xx problem.
    /// </summary>
    private static IEnumerable<HostileCase> ImportCases(Random random)
    {
        const string route = "POST /import";
        const string valid = """{"op":"add_node","node_id":"h-i","node_type":"entity","label":"i","properties":{"name":"i"}}""";
        var root = System.Text.Json.Nodes.JsonNode.Parse(valid)!;
        var fields = HostileInputs.Fields(root).Select(f => f.Path).ToList();
        var bytes = Encoding.UTF8.GetBytes(valid);
        var lines = new List<(string What, byte[] Line)>();
        for (var i = 0; i < 4; i++)
        {
            var cut = random.Next(1, bytes.Length);
            lines.Add(($"truncated at {cut}", bytes[..cut]));
        }

        for (var i = 0; i < 3; i++)
        {
            var depth = random.Next(65, 5_000);
            lines.Add(($"nested {depth} deep", Encoding.UTF8.GetBytes(HostileInputs.Replace(root, Pick(random, fields), HostileInputs.Nested(depth, '[', ']')))));
        }

        lines.Add(("a line over the body limit", Encoding.UTF8.GetBytes(HostileInputs.Replace(root, Pick(random, fields), "\"" + new string('s', random.Next(1_100_000, 1_300_000)) + "\""))));
        lines.Add(("a list over the item limit", Encoding.UTF8.GetBytes(HostileInputs.Replace(root, ["properties", "name"], "[" + string.Join(",", Enumerable.Repeat("7", random.Next(10_001, 20_000))) + "]"))));
        var noise = new byte[random.Next(1, 2_000)];
        random.NextBytes(noise);
        lines.Add(($"{noise.Length} random bytes", noise.Where(b => b != (byte)'\n').ToArray()));
        lines.Add(("invalid UTF-8", [.. bytes[..2], 0xFF, .. bytes[2..]]));
        foreach (var body in HostileInputs.HostileBodies.Where(b => b.Trim().Length > 0 && !b.Contains('\n', StringComparison.Ordinal)))
        {
            lines.Add(($"line {Shorten(body)}", Encoding.UTF8.GetBytes(body)));
        }

        foreach (var (what, line) in lines)
        {
            yield return new HostileCase(route, what, () => Request(HttpMethod.Post, "/import", line, "application/x-ndjson"), MustBeRefused: false, MustNotChange: true,
                Check: answer => answer.Contains("\"applied\":0,", StringComparison.Ordinal) && answer.Contains("\"skipped\":1,", StringComparison.Ordinal)
                    ? null
                    : $"expected the line skipped, got {Shorten(answer)}");
        }

        for (var i = 0; i < 3; i++)
        {
            var field = Pick(random, fields);
            var value = Pick(random, HostileInputs.HostileValues);
            yield return new HostileCase(route, $"{string.Join('.', field)} = {Shorten(value)}",
                () => Request(HttpMethod.Post, "/import", Encoding.UTF8.GetBytes(HostileInputs.Replace(root, field, value)), "application/x-ndjson"), MustBeRefused: false);
        }

        foreach (var type in new[] { "application/json", "text/plain", "application/xml" })
        {
            yield return new HostileCase(route, $"as {type}", () => Request(HttpMethod.Post, "/import", bytes, type), MustBeRefused: true);
        }

        foreach (var query in new[] { "from_line=0", "from_line=%00", "chunk_lines=-1", "chunk_lines=99999999999", "from_line=1e3" })
        {
            yield return new HostileCase(route, $"?{query}", () => Request(HttpMethod.Post, $"/import?{query}", bytes, "application/x-ndjson"), MustBeRefused: true);
        }
    }

    // ---- Ids in the path -------------------------------------------------------------------------------

    private static IEnumerable<HostileCase> IdCases(Random random)
    {
        // Routes answering 404 for an id that does not exist (every generated id is unknown).
        string[] refusing =
        [
            "GET /nodes/{id}", "PATCH /nodes/{id}", "DELETE /nodes/{id}", "GET /edges/{id}", "PATCH /edges/{id}", "DELETE /edges/{id}",
            "GET /entries/{hash}", "DELETE /peers/{peer_id}", "POST /peers/{peer_id}/sync", "DELETE /signing/authors/{author_id}",
            "PUT /peers/{peer_id}", "PUT /signing/authors/{author_id}", "DELETE /indexes/{name}",
        ];
        string[] lenient = ["GET /nodes/{id}/edges", "GET /nodes/{id}/neighbors", "GET /nodes/{id}/history", "GET /edges/{id}/history"];
        foreach (var route in refusing.Concat(lenient))
        {
            var space = route.IndexOf(' ', StringComparison.Ordinal);
            var (method, pattern) = (new HttpMethod(route[..space]), route[(space + 1)..]);
            for (var i = 0; i < 5; i++)
            {
                var id = RandomId(random);
                var path = pattern.Replace("{id}", id, StringComparison.Ordinal).Replace("{hash}", id, StringComparison.Ordinal)
                    .Replace("{peer_id}", id, StringComparison.Ordinal).Replace("{author_id}", id, StringComparison.Ordinal)
                    .Replace("{name}", id, StringComparison.Ordinal);

                // PUT bodies are broken too: these routes create what they name.
                var body = method == HttpMethod.Patch ? HostileInputs.ValidBodies[route] : method == HttpMethod.Put ? Pick(random, ["{}", "{\"address\":7}", "{\"public_key\":\"zz\"}", "[]"]) : null;
                yield return new HostileCase(route, $"id {Shorten(id)}", () => Request(method, path, body is null ? null : Encoding.UTF8.GetBytes(body), "application/json"), refusing.Contains(route));
            }
        }
    }

    private static string RandomId(Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                var bytes = new byte[random.Next(1, 12)];
                random.NextBytes(bytes);
                return string.Concat(bytes.Select(b => $"%{b:X2}")).Replace("%00", "%01", StringComparison.Ordinal);
            case 1:
                return new string('i', random.Next(1_025, 4_000));
            case 2:
                return Convert.ToHexStringLower(RandomBytes(random, 32)); // a hash no one has
            case 3:
                return Convert.ToHexStringLower(RandomBytes(random, 31)) + "z";
            case 4:
                return Pick(random, ["..", "%2e%2e", "a%2Fb", "%20", "%E2%80%AE", "%F0%9F%98%80", "%ED%A0%80", "%C0%AF", "nul%01l", "%25"]);
            case 5:
                return Uri.EscapeDataString(new string([.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)random.Next(0x20, 0x2FFF))]));
            case 6:
                return Convert.ToHexStringLower(RandomBytes(random, random.Next(1, 64)));
            default:
                return "missing-" + random.Next();
        }
    }

    // ---- Query values: cursors, limits, everything else ---------------------------------------------

    private IEnumerable<HostileCase> QueryCases(Random random)
    {
        for (var i = 0; i < 25; i++)
        {
            var (cursor, what) = (i % 5) switch
            {
                0 => (Convert.ToHexStringLower(RandomBytes(random, 32)), "stale cursor"),
                1 => (string.Join(",", Enumerable.Range(0, random.Next(2, 60)).Select(_ => Convert.ToHexStringLower(RandomBytes(random, 32)))), "stale cursor list"),
                2 => (Uri.EscapeDataString(Encoding.Latin1.GetString(RandomBytes(random, random.Next(1, 80)))), "random cursor"),
                3 => (Convert.ToHexStringLower(RandomBytes(random, 32)) + "," + "nothex", "half-valid cursor"),
                _ => (string.Join(",", Enumerable.Repeat("ab", random.Next(1, 2_000))), "short hashes"),
            };
            var stream = i % 3 == 0;
            yield return new HostileCase("GET /tail", $"{what}{(stream ? " (event stream)" : "")}", () =>
            {
                var request = Request(HttpMethod.Get, $"/tail?cursor={cursor}&timeout_ms=0", null, null);
                if (stream) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                return request;
            }, MustBeRefused: true);
        }

        foreach (var query in new[] { "timeout_ms=-1", "timeout_ms=x", "timeout_ms=99999999999", "max_count=0", "max_count=10001", "max_count=-5&timeout_ms=0", "types=&max_count=abc", "last=-1&timeout_ms=0", "last=10001&timeout_ms=0", "last=99999999999", "last=x&timeout_ms=0", "last=5&cursor=now&timeout_ms=0" })
        {
            yield return new HostileCase("GET /tail", query, () => Request(HttpMethod.Get, $"/tail?{query}", null, null), MustBeRefused: true);
        }

        foreach (var list in new[] { "/nodes", "/edges" })
        {
            foreach (var limit in new[] { "0", "-1", "1001", "abc", "99999999999", "1.5", "" })
            {
                yield return new HostileCase($"GET {list}", $"limit={limit}", () => Request(HttpMethod.Get, $"{list}?limit={limit}&after=h", null, null), MustBeRefused: limit.Length > 0);
            }

            yield return new HostileCase($"GET {list}", "cursor past the end", () => Request(HttpMethod.Get, $"{list}?after=%F0%9F%98%80zzzz", null, null), MustBeRefused: false);
        }

        string[] values = ["", "%00", "%FF", "-1", "99999999999999999999999", "1.2.3", "%F0%9F%98%80", "*", ":", "%ED%A0%80", "null", "[]", "now"];
        string[] names = ["start", "from", "to", "max_depth", "edge_type", "hops", "type", "subtype", "property", "value", "limit", "after", "as_of", "direction", "source", "since", "until", "safe", "max_results"];
        foreach (var route in Routes().Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains('{', StringComparison.Ordinal) && r != "GET /tail"))
        {
            var path = route[4..];
            for (var i = 0; i < 3; i++)
            {
                var query = string.Join("&", names.Where(_ => random.Next(3) == 0).Select(n => $"{n}={Pick(random, values)}"));
                if (random.Next(4) == 0) query += "&" + Pick(random, names) + "=" + new string('q', random.Next(2_000, 6_000));
                var accept = random.Next(4) == 0 ? Pick(random, ["application/msgpack", "text/event-stream", "*/*;q=x", "\u00ff"]) : null;
                yield return new HostileCase(route, $"?{Shorten(query)} accept {accept}", () =>
                {
                    var request = Request(HttpMethod.Get, $"{path}?{query}", null, null);
                    if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
                    return request;
                }, MustBeRefused: false);
            }
        }

        // Bodiless POSTs: a body is ignored, a bad query value is refused. Compaction only ever with a bad `safe`.
        foreach (var safe in new[] { "x", "", "2", "TRUE1", "%FF" })
        {
            yield return new HostileCase("POST /compact", $"safe={safe}", () => Request(HttpMethod.Post, $"/compact?safe={safe}", Encoding.UTF8.GetBytes("{garbage"), "application/json"), MustBeRefused: true);
        }

        foreach (var route in new[] { "POST /quarantine/revalidate", "POST /sync/run", "POST /signing/key", "POST /auth/tail-token" })
        {
            var (method, path) = Split(route);
            yield return new HostileCase(route, "garbage body", () => Request(method, path, RandomBytes(random, 300), "application/json"), MustBeRefused: false, MustNotChange: true);
        }
    }

    // ---- MessagePack sync bodies ---------------------------------------------------------------------

    private IEnumerable<HostileCase> SyncCases(Random random)
    {
        // Valid messages to break: this store's offer, a payload of one new entry, a request for entries.
        var offer = factory.Host.Store.GenerateOffer().ToBytes();
        var payload = new SyncPayload([NewEntry(factory.Host.Store.Heads, "h-writer", "h-sync-new")], []).ToBytes();
        var wanted = new SyncPayload([], [.. factory.Host.Store.Heads]).ToBytes();
        var valid = new Dictionary<string, byte[]>
        {
            ["POST /sync/offer"] = offer,
            ["POST /sync/payload"] = payload,
            ["POST /sync/entries"] = wanted,
        };

        foreach (var (route, bytes) in valid)
        {
            var (method, path) = Split(route);
            for (var i = 0; i < 8; i++)
            {
                var noise = RandomBytes(random, random.Next(0, 4_096));
                yield return Binary(route, method, path, noise, $"{noise.Length} random bytes");
            }

            for (var i = 0; i < 6; i++)
            {
                var cut = random.Next(0, bytes.Length);
                yield return Binary(route, method, path, bytes[..cut], $"truncated at {cut} of {bytes.Length}");
            }

            yield return new HostileCase(route, "valid body as application/json", () => Request(method, path, bytes, "application/json"), MustBeRefused: true, MustNotChange: true);
            yield return new HostileCase(route, "valid body as text/plain", () => Request(method, path, bytes, "text/plain"), MustBeRefused: true, MustNotChange: true);

            // More entries declared than a message may carry: refused before anything is read.
            var declared = new byte[] { 0x92, 0xdd, 0, 0, 0, 0, 0x90 };
            BinaryPrimitives.WriteUInt32BigEndian(declared.AsSpan(2), SyncLimits.MaxEntries + (uint)random.Next(1, 1_000_000));
            yield return Binary(route, method, path, declared, "too many entries declared");
        }

        // One flipped byte in the new entry: every byte but the signature is under the hash, so the message is refused.
        for (var i = 0; i < 12; i++)
        {
            var flipped = (byte[])payload.Clone();
            var at = random.Next(1, flipped.Length - 2); // not the outer array header, nor the empty need list
            flipped[at] ^= (byte)(1 << random.Next(8));
            yield return Binary("POST /sync/payload", HttpMethod.Post, "/sync/payload", flipped, $"bit flipped at {at}");
        }

        // Entries of a trusted author whose signature is wrong: dropped by the policy (200, listed), or refused; never merged.
        using var key = SigningKey.FromSeedHex(SigningFixtures.Test2Seed);
        for (var i = 0; i < 12; i++)
        {
            var entry = NewEntry(factory.Host.Store.Heads, SignerId, $"h-signed-{i}");
            var signature = key.Sign(entry.Hash);
            string what;
            if (i % 3 == 2)
            {
                signature = RandomBytes(random, Pick(random, [0, 1, 32, 63, 65, 128]));
                what = $"signature of {signature.Length} bytes";
            }
            else
            {
                var bit = random.Next(signature.Length * 8);
                signature[bit / 8] ^= (byte)(1 << (bit % 8));
                what = $"signature bit {bit} flipped";
            }

            var body = new SyncPayload([entry.WithSignature(signature)], []).ToBytes();
            var hash = entry.Hash.ToHex();
            yield return new HostileCase("POST /sync/payload", what, () => Request(HttpMethod.Post, "/sync/payload", body, "application/msgpack"), MustBeRefused: false, MustNotChange: true,
                Check: answer => answer.Contains($"entry {hash} dropped: signature verification failed for author '{SignerId}'", StringComparison.Ordinal) ? null : $"the entry is not listed as dropped for its signature: {Shorten(answer)}");
        }

        // Entries whose hash does not match their content: the whole message is refused.
        for (var i = 0; i < 8; i++)
        {
            var good = NewEntry(factory.Host.Store.Heads, "h-writer", $"h-hash-{i}");
            var bytes = new SyncPayload([good], []).ToBytes();
            var id = Encoding.UTF8.GetBytes($"h-hash-{i}");
            var at = bytes.AsSpan().IndexOf(id);
            bytes[at + random.Next(id.Length)] = (byte)'#';
            yield return Binary("POST /sync/payload", HttpMethod.Post, "/sync/payload", bytes, "entry content changed under its hash");
        }

        // The snapshot is a GET: hostile Accept headers.
        foreach (var accept in new[] { "application/json", "text/html", "\u00ff\u00fe" })
        {
            yield return new HostileCase("GET /sync/snapshot", $"accept {accept}", () =>
            {
                var request = Request(HttpMethod.Get, "/sync/snapshot", null, null);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                return request;
            }, MustBeRefused: false, MustNotChange: true);
        }
    }

    private static HostileCase Binary(string route, HttpMethod method, string path, byte[] body, string what) =>
        new(route, what, () => Request(method, path, body, "application/msgpack"), MustBeRefused: true, MustNotChange: true);

    /// <summary>An entry on the given heads, written now: it would merge if nothing were wrong with it.</summary>
    private static Entry NewEntry(IReadOnlyList<Hash> heads, string author, string nodeId) =>
        Entry.Create(new RemoveNode(nodeId), heads, new ClockStamp(author, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0), author);

    // ---- Helpers -----------------------------------------------------------------------------------------

    /// <summary>Every mapped route as "METHOD /pattern", the OpenAPI document and Swagger UI aside.</summary>
    private List<string> Routes() => factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("openapi", StringComparison.Ordinal) && !raw.Contains("swagger", StringComparison.Ordinal))
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
        .Distinct()
        .ToList();

    /// <summary>
    /// A stopped batch keeps the operations before the one refused (by design): its problem says how many, and the
    /// store may grow by exactly that many entries. Null for any other answer.
    /// </summary>
    private static async Task<int?> StoppedBatchApplied(HttpResponseMessage response)
    {
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.TryGetProperty("failed_index", out _) && problem.RootElement.TryGetProperty("applied", out var applied) ? applied.GetInt32() : null;
    }

    private static async Task CheckProblemBody(string label, HttpResponseMessage response, List<string> failures)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (!problem.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != (int)response.StatusCode)
            {
                failures.Add($"{label}: the problem's status is not {(int)response.StatusCode}");
            }
        }
        catch (JsonException ex)
        {
            failures.Add($"{label}: the problem body is not JSON: {ex.Message}");
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, byte[]? body, string? mediaType)
    {
        var request = new HttpRequestMessage(method, ApiTestClient.U(path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (mediaType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        return request;
    }

    private static (HttpMethod Method, string Path) Split(string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        return (new HttpMethod(route[..space]), HostileInputs.PathOf(route[(space + 1)..]));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>A body sent without Content-Length (chunked), so the server only learns its size by reading it.</summary>
    private sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnsizedContent(byte[] bytes, string mediaType)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 65_536)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(65_536, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
