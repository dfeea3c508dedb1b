namespace Silk.Core.Query;

/// <summary>A selector, sort or cursor a client sent that cannot be used; <see cref="Path"/> is a JSON pointer to the fault.</summary>
public sealed class SelectorException(string path, string message) : Exception($"{(path.Length == 0 ? "/" : path)}: {message}")
{
    public string Path { get; } = path;

    public string Reason { get; } = message;

    /// <summary>The JSON pointer of <paramref name="key"/> under <paramref name="path"/> (RFC 6901 escapes ~ and /).</summary>
    public static string Child(string path, string key) => $"{path}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    public static string Child(string path, int index) => $"{path}/{index}";
}
