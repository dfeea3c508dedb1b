namespace Silk.Api.Signing;

/// <summary>Settings of the <c>Silk:Signing</c> section.</summary>
public sealed class SigningOptions
{
    public const string SectionName = "Silk:Signing";

    /// <summary>The default name of the private key file, in <c>Silk:DataPath</c>.</summary>
    public const string DefaultKeyFileName = "signing.key";

    /// <summary>
    /// Where this server's ed25519 private key is kept (created on <c>POST /signing/key</c> or <c>PUT /signing/key</c>,
    /// owner-only). Empty means <c>signing.key</c> in the data folder.
    /// </summary>
    public string KeyPath { get; set; } = "";
}
