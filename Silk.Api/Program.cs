using Silk.Api.Hosting;

try
{
    SilkApp.Build(args).Run();
}
catch (Exception ex) when (HostingSetup.IsSettingsProblem(ex) && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // Logged as Critical already; this line is for a log pipeline that has not flushed, without a stack trace.
    // (Only in the server's own process: a host running Program in-process, as the tests do, gets the exception.)
    Console.Error.WriteLine($"Silk cannot start: {ex.Message}");
    return 1;
}

return 0;

/// <summary>Entry point; public so that tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
