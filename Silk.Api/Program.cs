using Silk.Api.Hosting;

try
{
    SilkApp.Build(args).Run();
}
catch (Exception ex) when (HostingSetup.IsSettingsProblem(ex))
{
    // Logged as Critical already; this line is for a log pipeline that has not flushed, without a stack trace.
    Console.Error.WriteLine($"Silk cannot start: {ex.Message}");
    return 1;
}

return 0;

/// <summary>Entry point; public so that tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
