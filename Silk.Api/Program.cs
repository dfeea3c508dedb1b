using Silk.Api.Hosting;

SilkApp.Build(args).Run();

/// <summary>Entry point; public so that tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
