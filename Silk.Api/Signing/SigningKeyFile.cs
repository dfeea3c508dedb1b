using System.Security.Cryptography;
using System.Text;
using Silk.Api.Hosting;
using Silk.Core.Signing;

namespace Silk.Api.Signing;

/// <summary>
/// The private key on disk: its 32-byte seed as 64 hex characters and a newline, in a file only its owner
/// may read or write (0600 on Unix). It is written to a fresh owner-only file next to it and then renamed
/// over the old one, so a reader never sees a half-written key and the key is never readable by others,
/// not even for a moment.
/// </summary>
public sealed class SigningKeyFile(string path)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    public bool Exists => File.Exists(Path);

    /// <summary>The key in the file, or null when there is none. A damaged file stops startup (<see cref="SilkSettingsException"/>).</summary>
    public SigningKey? Load()
    {
        if (!Exists) return null;
        string text;
        try
        {
            text = File.ReadAllText(Path, Encoding.ASCII).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SilkSettingsException($"Cannot read the signing key file {Path} (setting {SigningOptions.SectionName}:KeyPath): {ex.Message}", ex);
        }

        try
        {
            return SigningKey.FromSeedHex(text);
        }
        catch (ArgumentException ex)
        {
            // The message says what is wrong with the hex, never what it holds.
            throw new SilkSettingsException($"The signing key file {Path} does not hold a key: {ex.Message}", ex);
        }
    }

    /// <summary>True when the file can be read or written by others than its owner (never on Windows, which has no such bits).</summary>
    public bool IsExposed() =>
        !OperatingSystem.IsWindows() && Exists && (File.GetUnixFileMode(Path) & ~OwnerOnly) != 0;

    /// <summary>Replaces the file with <paramref name="key"/>'s seed.</summary>
    public void Save(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(folder);
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        var seed = key.ExportSeed();
        // Hex through arrays that are wiped afterwards, not through a string that would linger on the heap.
        var hex = new char[seed.Length * 2];
        var text = new byte[hex.Length + 1];
        try
        {
            Convert.TryToHexStringLower(seed, hex, out _);
            Encoding.ASCII.GetBytes(hex, text);
            text[^1] = (byte)'\n';
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(text);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            Array.Clear(hex);
            CryptographicOperations.ZeroMemory(text);
        }
    }
}
