using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>Small helpers for raw HTTP calls: bodies as text, answers as JSON.</summary>
internal static class ApiTestClient
{
    public static Uri U(string path) => new(path, UriKind.Relative);

    public static async Task<HttpResponseMessage> PostJson(this HttpClient client, string path, string json, string mediaType = "application/json")
    {
        using var content = new StringContent(json, Encoding.UTF8, mediaType);
        return await client.PostAsync(U(path), content);
    }

    public static async Task<HttpResponseMessage> PatchJson(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PatchAsync(U(path), content);
    }

    public static async Task<HttpResponseMessage> PutJson(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PutAsync(U(path), content);
    }

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path) => client.GetAsync(U(path));

    public static Task<HttpResponseMessage> Delete(this HttpClient client, string path) => client.DeleteAsync(U(path));

    /// <summary>The body as JSON, after checking the status.</summary>
    public static async Task<JsonElement> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Checks an RFC 9457 answer: the status, problem+json, and the status repeated in the body.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Json(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        return body;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static IReadOnlyList<string> Strings(this JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToList();

    public static async Task<string> CreateNode(this HttpClient client, string id, string type = "entity", string? properties = null)
    {
        using var response = await client.PostJson("/nodes", $$"""{"node_id":"{{id}}","node_type":"{{type}}","label":"{{id}}","properties":{{properties ?? $$"""{"name":"{{id}}"}"""}}}""");
        return (await response.Json(HttpStatusCode.Created)).Str("hash");
    }

    public static async Task<string> CreateEdge(this HttpClient client, string id, string source, string target, string type = "RELATES_TO")
    {
        using var response = await client.PostJson("/edges", $$"""{"edge_id":"{{id}}","edge_type":"{{type}}","source_id":"{{source}}","target_id":"{{target}}"}""");
        return (await response.Json(HttpStatusCode.Created)).Str("hash");
    }

    public static MediaTypeHeaderValue Media(string type) => new(type);
}
