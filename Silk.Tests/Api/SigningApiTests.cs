using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;
using Silk.Core.Signing;
using Silk.Core.Wire;
using Silk.Tests.Peers;
using Silk.Tests.Signing;
using Silk.Tests.Storage;

namespace Silk.Tests.Api;

/// <summary>
/// Signing over HTTP on the real app and a real store folder: the key file, signed local writes, trusted
/// authors, strict mode, what survives a restart, and strict mode refusing entries pushed by /sync/payload.
/// </summary>
public sealed class SigningApiTests
{
    [Fact]
    public async Task Generated_key_signs_local_writes_is_kept_owner_only_and_never_returned()
    {
        await using var app = new SilkApiFactory();
        using var client = app.CreateClient();
        using (var none = await client.Get("/signing/key")) await none.Problem(HttpStatusCode.NotFound);

        using var generated = await client.PostJson("/signing/key", "");
        var generatedText = await generated.Content.ReadAsStringAsync();
        var publicKey = (await generated.Json(HttpStatusCode.OK)).Str("public_key");
        Assert.Matches("^[0-9a-f]{64}$", publicKey);

        var keyFile = Path.Combine(app.DataPath, "signing.key");
        var seed = File.ReadAllText(keyFile).Trim();
        Assert.Matches("^[0-9a-f]{64}$", seed);
        using (var fromSeed = SigningKey.FromSeedHex(seed)) Assert.Equal(publicKey, fromSeed.PublicKeyHex);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Empty(Directory.GetFiles(app.DataPath, "*.tmp", SearchOption.AllDirectories));

        // The private key appears in no answer.
        using var read = await client.Get("/signing/key");
        using var status = await client.Get("/signing");
        foreach (var text in new[] { generatedText, await read.Content.ReadAsStringAsync(), await status.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(seed, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(publicKey, (await read.Json(HttpStatusCode.OK)).Str("public_key"));
        var signing = await status.Json(HttpStatusCode.OK);
        Assert.Equal(publicKey, signing.Str("public_key"));
        Assert.False(signing.GetProperty("require_signatures").GetBoolean());

        var hash = await client.CreateNode("signed-1");
        AssertSignedBy(app, hash, publicKey);
        using var entry = await client.Get($"/entries/{hash}");
        Assert.Matches("^[0-9a-f]{128}$", (await entry.Json(HttpStatusCode.OK)).Str("signature"));
    }

    [Fact]
    public async Task Set_key_uses_the_given_seed_and_bad_input_is_a_problem_that_changes_nothing()
    {
        await using var app = new SilkApiFactory();
        using var client = app.CreateClient();

        using var set = await client.PutJson("/signing/key", $$"""{"private_key":"{{SigningFixtures.Test1Seed.ToUpperInvariant()}}"}""");
        Assert.Equal(SigningFixtures.Test1Public, (await set.Json(HttpStatusCode.OK)).Str("public_key"));
        Assert.Equal(SigningFixtures.Test1Seed, File.ReadAllText(Path.Combine(app.DataPath, "signing.key")).Trim());

        string[] bad =
        [
            """{"private_key":"zz"}""", """{"private_key":"abc"}""", $$"""{"private_key":"{{SigningFixtures.Test2Seed[..62]}}"}""",
            $$"""{"private_key":"{{SigningFixtures.Test2Seed}}00"}""", """{"private_key":""}""", """{"private_key":null}""",
            """{"private_key":42}""", "{}", """{"private_key":"x","extra":1}""", "{", "",
            $$"""{"private_key":" {{SigningFixtures.Test2Seed}}"}""",
        ];
        foreach (var body in bad)
        {
            using var refused = await client.PutJson("/signing/key", body);
            var problem = await refused.Problem(HttpStatusCode.BadRequest);
            Assert.DoesNotContain(SigningFixtures.Test2Seed[..16], problem.GetRawText(), StringComparison.Ordinal);
        }

        using var after = await client.Get("/signing/key");
        Assert.Equal(SigningFixtures.Test1Public, (await after.Json(HttpStatusCode.OK)).Str("public_key"));
        Assert.Equal(SigningFixtures.Test1Seed, File.ReadAllText(Path.Combine(app.DataPath, "signing.key")).Trim());
        AssertSignedBy(app, await client.CreateNode("after-bad"), SigningFixtures.Test1Public);
    }

    [Fact]
    public async Task Trusted_authors_are_listed_replaced_removed_and_bad_keys_refused()
    {
        await using var app = new SilkApiFactory();
        using var client = app.CreateClient();

        using (var put = await client.PutJson("/signing/authors/peer-b", $$"""{"public_key":"{{SigningFixtures.Test1Public.ToUpperInvariant()}}"}"""))
        {
            var author = await put.Json(HttpStatusCode.OK);
            Assert.Equal("peer-b", author.Str("author_id"));
            Assert.Equal(SigningFixtures.Test1Public, author.Str("public_key"));
        }

        using (var put = await client.PutJson("/signing/authors/peer-a", $$"""{"public_key":"{{SigningFixtures.Test2Public}}"}""")) await put.Json(HttpStatusCode.OK);
        using (var replace = await client.PutJson("/signing/authors/peer-b", $$"""{"public_key":"{{SigningFixtures.Test2Public}}"}""")) await replace.Json(HttpStatusCode.OK);

        // Not hex, wrong length, not a point on the curve (y = 2 has no x), wrong type: refused, nothing changes.
        var offCurve = "02" + new string('0', 62);
        foreach (var body in new[] { """{"public_key":"nothex"}""", """{"public_key":"abcd"}""", $$"""{"public_key":"{{offCurve}}"}""", """{"public_key":[]}""", "{}" })
        {
            using var refused = await client.PutJson("/signing/authors/peer-c", body);
            await refused.Problem(HttpStatusCode.BadRequest);
        }

        using (var tooLong = await client.PutJson($"/signing/authors/{new string('a', 1025)}", $$"""{"public_key":"{{SigningFixtures.Test2Public}}"}""")) await tooLong.Problem(HttpStatusCode.BadRequest);

        using var list = await client.Get("/signing/authors");
        var authors = (await list.Json(HttpStatusCode.OK)).GetProperty("authors").EnumerateArray()
            .Select(a => (a.Str("author_id"), a.Str("public_key"))).ToList();
        Assert.Equal([("peer-a", SigningFixtures.Test2Public), ("peer-b", SigningFixtures.Test2Public)], authors);

        using (var removed = await client.Delete("/signing/authors/peer-a")) Assert.Equal(SigningFixtures.Test2Public, (await removed.Json(HttpStatusCode.OK)).Str("public_key"));
        using (var again = await client.Delete("/signing/authors/peer-a")) await again.Problem(HttpStatusCode.NotFound);
        Assert.Equal(["peer-b"], app.Host.Store.TrustedAuthors.Keys);
    }

    [Fact]
    public async Task Key_trusted_authors_and_strict_mode_survive_a_restart()
    {
        var first = new SilkApiFactory();
        string publicKey;
        using (var client = first.CreateClient())
        {
            using var generated = await client.PostJson("/signing/key", "");
            publicKey = (await generated.Json(HttpStatusCode.OK)).Str("public_key");
            using var trust = await client.PutJson("/signing/authors/peer-b", $$"""{"public_key":"{{SigningFixtures.Test1Public}}"}""");
            await trust.Json(HttpStatusCode.OK);
            using var strict = await client.PutJson("/signing/strict", """{"require_signatures":true}""");
            Assert.True((await strict.Json(HttpStatusCode.OK)).GetProperty("require_signatures").GetBoolean());
        }

        await first.DisposeAsyncKeepingFolder();
        try
        {
            await using var second = first.OnSameFolder();
            using var client = second.CreateClient();
            using var status = await client.Get("/signing");
            var signing = await status.Json(HttpStatusCode.OK);
            Assert.Equal(publicKey, signing.Str("public_key"));
            Assert.True(signing.GetProperty("require_signatures").GetBoolean());
            Assert.Equal(1, signing.GetProperty("trusted_authors").GetInt32());
            Assert.Equal(SigningFixtures.Test1Public, second.Host.Store.TrustedAuthors["peer-b"]);
            AssertSignedBy(second, await client.CreateNode("after-restart"), publicKey);

            using var off = await client.PutJson("/signing/strict", """{"require_signatures":false}""");
            Assert.False((await off.Json(HttpStatusCode.OK)).GetProperty("require_signatures").GetBoolean());
            Assert.False(second.Host.Store.RequireSignatures);
        }
        finally
        {
            SilkApiFactory.DeleteFolder(first.DataPath);
        }
    }

    [Fact]
    public async Task Key_path_setting_places_the_key_file_and_a_damaged_file_stops_startup()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        var keyPath = Path.Combine(folder, "nested", "instance.key");
        await using (var app = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Signing:KeyPath"] = keyPath }))
        {
            using var client = app.CreateClient();
            using var set = await client.PutJson("/signing/key", $$"""{"private_key":"{{SigningFixtures.Test2Seed}}"}""");
            Assert.Equal(SigningFixtures.Test2Public, (await set.Json(HttpStatusCode.OK)).Str("public_key"));
            Assert.Equal(SigningFixtures.Test2Seed, File.ReadAllText(keyPath).Trim());
            Assert.False(File.Exists(Path.Combine(app.DataPath, "signing.key")));
        }

        File.WriteAllText(keyPath, "not a key\n");
        await using var damaged = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Signing:KeyPath"] = keyPath });
        var error = Assert.ThrowsAny<Exception>(() => damaged.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(keyPath, messages, StringComparison.Ordinal);
        Assert.Contains("does not hold a key", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_mode_drops_unsigned_and_untrusted_pushes_with_reasons_and_accepts_trusted_ones()
    {
        await using var receiver = new SilkApiFactory();
        await using var unsignedWriter = new SilkApiFactory();
        await using var signedWriter = new SilkApiFactory();
        using var to = receiver.CreateClient();
        using var plain = unsignedWriter.CreateClient();
        using var signer = signedWriter.CreateClient();
        using (var strict = await to.PutJson("/signing/strict", """{"require_signatures":true}""")) await strict.Json(HttpStatusCode.OK);
        using (var key = await signer.PutJson("/signing/key", $$"""{"private_key":"{{SigningFixtures.Test1Seed}}"}""")) await key.Json(HttpStatusCode.OK);

        var unsignedHash = await plain.CreateNode("from-plain");
        var signedHash = await signer.CreateNode("from-signer");

        // Unsigned: dropped, with the reason; the genesis (define_ontology) is exempt.
        var result = await Push(to, plain);
        var dropped = Dropped(result);
        Assert.Equal(["unsigned entry while signatures are required"], dropped.Where(d => d.Hash == unsignedHash).Select(d => d.Reason.Split(": ", 2)[1]));
        Assert.Single(dropped);
        await AssertAbsent(to, unsignedHash);

        // Signed by a key this server does not trust: dropped.
        result = await Push(to, signer);
        dropped = Dropped(result);
        var signerId = signedWriter.Host.Store.InstanceId;
        Assert.Equal([signedHash], dropped.Select(d => d.Hash));
        Assert.Contains($"author '{signerId}' is not a trusted author", dropped[0].Reason, StringComparison.Ordinal);
        await AssertAbsent(to, signedHash);

        // Trusted under another key: the signature does not verify, dropped.
        using (var wrong = await to.PutJson($"/signing/authors/{signerId}", $$"""{"public_key":"{{SigningFixtures.Test2Public}}"}""")) await wrong.Json(HttpStatusCode.OK);
        dropped = Dropped(await Push(to, signer));
        Assert.Contains("signature verification failed", Assert.Single(dropped).Reason, StringComparison.Ordinal);
        await AssertAbsent(to, signedHash);

        // Trusted with its key: accepted and in the log.
        using (var trust = await to.PutJson($"/signing/authors/{signerId}", $$"""{"public_key":"{{SigningFixtures.Test1Public}}"}""")) await trust.Json(HttpStatusCode.OK);
        result = await Push(to, signer);
        Assert.Empty(Dropped(result));
        Assert.Equal(1, result.GetProperty("inserted").GetInt32());
        using var present = await to.Get($"/entries/{signedHash}");
        Assert.Equal(signerId, (await present.Json(HttpStatusCode.OK)).Str("author"));

        // Strict mode off: the unsigned entry is accepted.
        using (var off = await to.PutJson("/signing/strict", """{"require_signatures":false}""")) await off.Json(HttpStatusCode.OK);
        Assert.Empty(Dropped(await Push(to, plain)));
        using var nowPresent = await to.Get($"/entries/{unsignedHash}");
        await nowPresent.Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Strict_mode_drops_unsigned_entries_pulled_from_a_peer_and_the_outcome_counts_them()
    {
        await using var peer = new SlowBodyTests.Server();
        await using var receiver = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Gossip:IntervalSeconds"] = "0" });
        using var fromPeer = peer.NewClient();
        using var to = receiver.CreateClient();
        var unsignedHash = await fromPeer.CreateNode("peer-unsigned");
        using (var strict = await to.PutJson("/signing/strict", """{"require_signatures":true}""")) await strict.Json(HttpStatusCode.OK);
        using (var add = await to.PutJson("/peers/p", $$"""{"address":"{{peer.BaseAddress}}"}""")) await add.Json(HttpStatusCode.OK);

        using var sync = await to.PostJson("/peers/p/sync", "");
        var outcome = await sync.Json(HttpStatusCode.OK);

        Assert.True(outcome.GetProperty("ok").GetBoolean());
        Assert.True(outcome.GetProperty("dropped").GetInt32() >= 1, outcome.GetRawText());
        await AssertAbsent(to, unsignedHash);
    }

    [Fact]
    public async Task The_private_key_is_never_logged()
    {
        var logs = new CapturedLogs();
        await using var app = new LoggedFactory(logs);
        using var client = app.CreateClient();

        using (var set = await client.PutJson("/signing/key", $$"""{"private_key":"{{SigningFixtures.Test1Seed}}"}""")) await set.Json(HttpStatusCode.OK);
        using (var bad = await client.PutJson("/signing/key", $$"""{"private_key":"{{SigningFixtures.Test2Seed}}zz"}""")) await bad.Problem(HttpStatusCode.BadRequest);
        using (var generated = await client.PostJson("/signing/key", "")) await generated.Json(HttpStatusCode.OK);
        var generatedSeed = File.ReadAllText(Path.Combine(app.DataPath, "signing.key")).Trim();
        await client.CreateNode("logged");

        var text = logs.Text;
        Assert.NotEmpty(text);
        foreach (var secret in new[] { SigningFixtures.Test1Seed, SigningFixtures.Test2Seed, generatedSeed })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Every log message of an app, as text.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public string Text => string.Join("\n", _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{formatter(state, exception)} {exception}");
        }
    }

    /// <summary>The app with every log message captured, at every level.</summary>
    private sealed class LoggedFactory(CapturedLogs logs) : SilkApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }
    }

    /// <summary>What <paramref name="from"/> has that <paramref name="to"/> lacks, pushed to <paramref name="to"/> by POST /sync/payload; the merge answer.</summary>
    private static async Task<JsonElement> Push(HttpClient to, HttpClient from)
    {
        using var offer = await to.Get("/sync/offer");
        using var payload = await from.PostMsgPack("/sync/offer", await offer.Bytes());
        using var merged = await to.PostMsgPack("/sync/payload", await payload.Bytes());
        return await merged.Json(HttpStatusCode.OK);
    }

    private static List<(string Hash, string Reason)> Dropped(JsonElement result) =>
        result.GetProperty("dropped").EnumerateArray().Select(d => (d.Str("hash"), d.Str("reason"))).ToList();

    private static async Task AssertAbsent(HttpClient client, string hash)
    {
        using var response = await client.Get($"/entries/{hash}");
        await response.Problem(HttpStatusCode.NotFound);
    }

    private static void AssertSignedBy(SilkApiFactory app, string hashHex, string publicKeyHex)
    {
        var entry = app.Host.Store.GetEntry(Hash.ParseHex(hashHex));
        Assert.NotNull(entry);
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
        Assert.True(SignaturePolicy.Verify(entry, key), "the entry is not signed by the key");
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
