using System.Net;

namespace Silk.Tests.Api;

/// <summary>
/// The tables and mutations of hostile input shared by <see cref="NoServerErrorForClientInputTests"/> and
/// <see cref="HostileInputSuiteTests"/>: a valid body per JSON route, hostile values and bodies, and the check
/// every answer to them must pass.
/// </summary>
internal static class HostileInputs
{
    /// <summary>A valid body per route; the mutations below are derived from it.</summary>
    public static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["POST /nodes"] = """{"node_id":"h-new","node_type":"person","label":"x","subtype":null,"properties":{"name":"x","email":"x@example.org"}}""",
        ["PATCH /nodes/{id}"] = """{"properties":{"name":"y"}}""",
        ["POST /edges"] = """{"edge_id":"h-e2","edge_type":"RELATES_TO","source_id":"h-node","target_id":"h-other","properties":{}}""",
        ["PATCH /edges/{id}"] = """{"properties":{"w":1}}""",
        ["POST /ontology/extensions"] = """{"node_types":{"h_t":{"description":"d","properties":{"p":{"value_type":"int","required":false,"constraints":{"min":0}}}}},"node_type_updates":{"entity":{"add_properties":{"q":{"value_type":"string"}}}}}""",
        ["POST /graph/pattern-match"] = """{"type_sequence":["entity","entity"],"max_results":10}""",
        ["POST /query"] = """{"nodes":"entity","subtype":null,"where":{"name":{"$in":["h","i"]},"$or":[{"n":{"$gt":1}},{"label":{"$regex":"^h"}}]},"steps":[{"where":{"name":"h"}},{"follow":"*","direction":"both"},{"limit":5}],"sort":[{"name":"desc"},"node_id"],"fields":["name"],"skip":0,"limit":10,"group_count":"node_type","explain":true,"select":"nodes"}""",
        ["POST /query/explain"] = """{"nodes":"entity","where":{"name":{"$prefix":"h"}},"sort":["name"],"limit":3}""",
        ["POST /indexes"] = """{"name":"h-index","node_type":"entity","property":"name"}""",
        ["POST /batch"] = """[{"op":"add_node","node_id":"h-b","node_type":"entity","label":"b","properties":{"name":"b"}},{"op":"update_property","entity_id":"h-b","key":"k","value":[1,{"a":null}]}]""",
        ["POST /import"] = """{"op":"add_node","node_id":"h-i","node_type":"entity","label":"i","properties":{"name":"i"}}""",
        ["POST /observations"] = """{"source":"h","value":1.5,"metadata":{"k":"v"}}""",
        ["PUT /peers/{peer_id}"] = """{"address":"http://127.0.0.1:9"}""",
        ["PUT /signing/key"] = $$"""{"private_key":"{{Signing.SigningFixtures.Test1Seed}}"}""",
        ["PUT /signing/authors/{author_id}"] = $$"""{"public_key":"{{Signing.SigningFixtures.Test2Public}}"}""",
        ["PUT /signing/strict"] = """{"require_signatures":false}""",
        ["POST /ontology/compatibility"] = """{"hash":"0000000000000000000000000000000000000000000000000000000000000000","fingerprint":["fingerprint_version:2","type:entity"]}""",
    };

    public static readonly string[] HostileValues =
    [
        "null", "true", "0", "-1", "1.5", "-0", "1e999", "-1e999", "123456789012345678901234567890", "\"\"", "\"x\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "[]", "[null]", "{}", "{\"a\":{\"b\":[1,2,{\"c\":\"\\ud83d\"}]}}",
        "\"" + new string('x', 70_000) + "\"", Nested(70, '[', ']'), Nested(70, "{\"a\":", "}"), Nested(3000, '[', ']'),
    ];

    public static readonly string[] HostileBodies =
    [
        "", " ", "\n", "null", "true", "0", "\"text\"", "[]", "[null]", "[[]]", "{}", "{\"\":1}", "{\"a\":1}", "{", "}", "[", "{\"a\"}",
        "{\"a\":1,}", "{'a':1}", "{\"a\":1} trailing", "\uFEFF{}", "{\"a\":1}\n{\"b\":2}", "\u0000", "\"\\ud800\"",
        Nested(5000, '[', ']'), Nested(5000, "{\"a\":", "}"), "[" + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]",
    ];

    public static readonly string[] MediaTypes = ["application/json", "application/x-ndjson", "application/json; charset=utf-16", "text/plain", "application/xml"];

    /// <summary>A route pattern with its placeholders filled by the ids the suites create (or leave unknown).</summary>
    public static string PathOf(string pattern) => pattern
        .Replace("{id}", pattern.StartsWith("/edges", StringComparison.Ordinal) ? "h-edge" : "h-node", StringComparison.Ordinal)
        .Replace("{peer_id}", "h-peer", StringComparison.Ordinal)
        .Replace("{author_id}", "h-author", StringComparison.Ordinal)
        .Replace("{name}", "h-unknown-index", StringComparison.Ordinal)
        .Replace("{hash}", new string('0', 64), StringComparison.Ordinal);

    /// <summary>Null when the answer is acceptable for hostile input: below 500, and problem+json when 4xx; else what is wrong.</summary>
    public static async Task<string?> ProblemWith(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return $"{status}: {await response.Content.ReadAsStringAsync()}";
        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"{status} without problem+json";
        return null;
    }

    /// <summary>Each top-level field (and each field one level down) replaced by every hostile value, dropped, or joined by an unknown field.</summary>
    public static IEnumerable<string> Mutations(string valid)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(valid)!;
        foreach (var (path, _) in Fields(root))
        {
            foreach (var value in HostileValues) yield return Replace(root, path, value);
            yield return Replace(root, path, null);
        }

        if (root is System.Text.Json.Nodes.JsonObject)
        {
            var extra = root.DeepClone().AsObject();
            extra["unexpected_field"] = 1;
            yield return extra.ToJsonString();
        }
    }

    public static IEnumerable<(string[] Path, System.Text.Json.Nodes.JsonNode? Node)> Fields(System.Text.Json.Nodes.JsonNode node, int depth = 0)
    {
        if (depth > 3) yield break;
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    yield return ([key], child);
                    if (child is not null)
                    {
                        foreach (var (sub, n) in Fields(child, depth + 1)) yield return ([key, .. sub], n);
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return ([$"#{i}"], array[i]);
                    if (array[i] is { } child)
                    {
                        foreach (var (sub, n) in Fields(child, depth + 1)) yield return ([$"#{i}", .. sub], n);
                    }
                }

                break;
        }
    }

    /// <summary>The document with the field at <paramref name="path"/> set to raw JSON, or removed when null.</summary>
    public static string Replace(System.Text.Json.Nodes.JsonNode root, string[] path, string? raw)
    {
        const string Marker = "\u0001HOSTILE\u0001";
        var copy = root.DeepClone();
        var parent = copy;
        foreach (var step in path[..^1]) parent = step.StartsWith('#') ? parent!.AsArray()[int.Parse(step[1..], System.Globalization.CultureInfo.InvariantCulture)] : parent![step];
        var last = path[^1];
        if (parent is System.Text.Json.Nodes.JsonArray arr)
        {
            var index = int.Parse(last[1..], System.Globalization.CultureInfo.InvariantCulture);
            if (raw is null) arr.RemoveAt(index);
            else arr[index] = Marker;
        }
        else if (parent is System.Text.Json.Nodes.JsonObject obj)
        {
            if (raw is null) obj.Remove(last);
            else obj[last] = Marker;
        }

        return copy.ToJsonString().Replace("\"\\u0001HOSTILE\\u0001\"", raw ?? "", StringComparison.Ordinal);
    }

    public static string Nested(int depth, char open, char close) => new string(open, depth) + new string(close, depth);

    public static string Nested(int depth, string open, string close) =>
        string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
}
