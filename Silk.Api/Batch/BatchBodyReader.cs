using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Silk.Api.Batch;

/// <summary>
/// Reads a batch body: a JSON array of operations, or NDJSON (one operation per line, blank lines
/// ignored). Every operation is read before any is applied, so a malformed body changes nothing.
/// </summary>
public static class BatchBodyReader
{
    public static IReadOnlyList<string> MediaTypes { get; } = ["application/json", "application/x-ndjson", "application/ndjson", "application/jsonl"];

    public static bool IsSupported(string? contentType) =>
        contentType is not null
        && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && MediaTypes.Contains(parsed.MediaType.Value ?? "", StringComparer.OrdinalIgnoreCase);

    /// <summary>The operations, or an error message for the client.</summary>
    public static (IReadOnlyList<BatchOperation>? Operations, string? Error) Parse(ReadOnlyMemory<byte> body, JsonSerializerOptions options)
    {
        try
        {
            return ParseBody(body, options);
        }
        catch (Exception ex) when (Silk.Core.Wire.ValueJson.IsParseFailure(ex))
        {
            // Text that parses as JSON but not as .NET strings: a lone surrogate escape (\ud800), say.
            return (null, $"the body cannot be read: {ex.Message}");
        }
    }

    private static (IReadOnlyList<BatchOperation>? Operations, string? Error) ParseBody(ReadOnlyMemory<byte> body, JsonSerializerOptions options)
    {
        var span = body.Span;
        var start = 0;
        while (start < span.Length && IsWhitespace(span[start])) start++;
        if (start == span.Length) return ([], null);
        return span[start] == (byte)'[' ? ParseArray(body, options) : ParseLines(body, options);
    }

    private static (IReadOnlyList<BatchOperation>?, string?) ParseArray(ReadOnlyMemory<byte> body, JsonSerializerOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth });
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var ops = new List<BatchOperation>(document.RootElement.GetArrayLength());
            var i = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var (op, error) = ParseOne(element, i++, options);
                if (op is null) return (null, error);
                ops.Add(op);
            }

            return (ops, null);
        }
    }

    private static (IReadOnlyList<BatchOperation>?, string?) ParseLines(ReadOnlyMemory<byte> body, JsonSerializerOptions options)
    {
        var ops = new List<BatchOperation>();
        var rest = body;
        var line = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var current = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            line++;
            if (IsBlank(current.Span)) continue;
            var (op, error) = ParseLine(current, ops.Count, line, options);
            if (op is null) return (null, error);
            ops.Add(op);
        }

        return (ops, null);
    }

    /// <summary>A line with nothing but spaces, tabs or a carriage return: NDJSON readers skip it.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    /// <summary>One NDJSON line (without its newline) as an operation, or an error message naming the line.</summary>
    public static (BatchOperation? Operation, string? Error) ParseLine(ReadOnlyMemory<byte> line, int index, int lineNumber, JsonSerializerOptions options)
    {
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth });
            return ParseOne(document.RootElement, index, options, $" (line {lineNumber})");
        }
        catch (JsonException ex)
        {
            return (null, $"line {lineNumber} is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (Silk.Core.Wire.ValueJson.IsParseFailure(ex))
        {
            return (null, $"line {lineNumber} cannot be read: {ex.Message}");
        }
    }

    private static (BatchOperation?, string?) ParseOne(JsonElement element, int index, JsonSerializerOptions options, string where = "")
    {
        var at = $"operation {index}{where}";
        if (element.ValueKind != JsonValueKind.Object) return (null, $"{at} must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}");
        if (!element.TryGetProperty("op", out var tag) || tag.ValueKind != JsonValueKind.String)
        {
            return (null, $"{at} has no \"op\" string naming the operation");
        }

        var name = tag.GetString();
        if (!BatchOperation.Tags.Contains(name, StringComparer.Ordinal))
        {
            return (null, $"{at}: non-bufferable operation \"{name}\"; a batch takes {string.Join(", ", BatchOperation.Tags)}");
        }

        try
        {
            var op = element.Deserialize<BatchOperation>(options);
            return op is null ? (null, $"{at} is null") : (op, null);
        }
        catch (JsonException ex)
        {
            return (null, $"{at}: {ex.Message}");
        }
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' || b == Encoding.UTF8.Preamble[0];
}
