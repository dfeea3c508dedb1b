namespace Silk.Api.Hosting;

/// <summary>A setting that stops the server from starting; the message names the setting and what is wrong.</summary>
public sealed class SilkSettingsException(string message, Exception? inner = null) : Exception(message, inner);
