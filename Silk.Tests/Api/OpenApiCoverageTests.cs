using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Silk.Tests.Api;

/// <summary>The served OpenAPI document lists every route the app maps, each with its summary, tag, operation id and error answers.</summary>
public sealed class OpenApiCoverageTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    [Fact]
    public async Task Every_route_is_documented_with_summary_tags_and_problem_answers()
    {
        using var client = factory.CreateClient();
        using var response = await client.Get("/openapi/v1.json");
        var document = await response.Json(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("openapi", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m.ToLowerInvariant(), Path: "/" + e.RoutePattern.RawText!.Trim('/'))))
            .ToList();
        Assert.True(routes.Count >= 38, $"only {routes.Count} routes");

        var operationIds = new HashSet<string>();
        foreach (var (method, path) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace(operation.Str("summary")), $"{method} {path} has no summary");
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            Assert.True(operationIds.Add(operation.Str("operationId")), $"duplicate operation id {operation.Str("operationId")}");

            var responses = operation.GetProperty("responses");
            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
            foreach (var answer in responses.EnumerateObject())
            {
                if (answer.Name == "204") continue; // No Content: nothing to describe
                // Kestrel's own refusal of an unparseable request has no body (the app never sees the request).
                if (answer.Name == "400" && answer.Value.Str("description") == Silk.Api.Problems.ProblemOpenApi.ServerRefusalDescription) continue;
                Assert.True(answer.Value.TryGetProperty("content", out var content), $"{method} {path} {answer.Name} has no content");
                var mediaTypes = content.EnumerateObject().Select(c => c.Name).ToList();
                if (answer.Name[0] is '4' or '5') Assert.Equal(["application/problem+json"], mediaTypes);
            }

            if (operation.TryGetProperty("requestBody", out _))
            {
                // POST /import streams its body, which has no size limit (each line has: a line too long is skipped, not a 413).
                var bodyProblems = path == "/import" ? new[] { "400", "415" } : ["400", "413", "415"];
                foreach (var status in bodyProblems) Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} lacks {status}");
            }

            if (path.Contains("{id}", StringComparison.Ordinal) || path.Contains("{hash}", StringComparison.Ordinal))
            {
                Assert.True(responses.TryGetProperty("404", out _), $"{method} {path} lacks 404");
            }

            var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().Select(x => x.Str("name")).ToList() : [];
            var isGraphRead = method == "get" && (path.StartsWith("/nodes", StringComparison.Ordinal) || path.StartsWith("/edges", StringComparison.Ordinal)
                || path.StartsWith("/graph", StringComparison.Ordinal) || path == "/ontology");
            if (isGraphRead || path is "/query" or "/query/explain" or "/graph/pattern-match") Assert.Contains("as_of", parameters);
        }
    }

    [Fact]
    public async Task Custom_json_types_have_real_schemas()
    {
        using var client = factory.CreateClient();
        using var response = await client.Get("/openapi/v1.json");
        var schemas = (await response.Json(HttpStatusCode.OK)).GetProperty("components").GetProperty("schemas");

        Assert.Equal("object", schemas.GetProperty("ValueMap").Str("type"));
        Assert.Equal("object", schemas.GetProperty("GraphOp").Str("type"));
        Assert.Equal("string", schemas.GetProperty("AsOf").Str("type"));
        Assert.Equal(["out", "in", "both"], schemas.GetProperty("Direction").Strings("enum"));
        Assert.Equal("op", schemas.GetProperty("BatchOperation").GetProperty("discriminator").Str("propertyName"));
        Assert.Equal(["node_id", "node_type", "subtype", "label", "properties"], schemas.GetProperty("Node").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["edge_id", "edge_type", "source_id", "target_id", "properties"], schemas.GetProperty("Edge").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["hash", "author", "physical_ms", "logical", "clock_id", "next", "refs", "signature", "payload"], schemas.GetProperty("LogEntry").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, schemas.GetProperty("ProblemDetails").GetProperty("additionalProperties").ValueKind);
    }
}
