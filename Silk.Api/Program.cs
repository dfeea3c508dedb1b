using Silk.Api.Health;
using Silk.Api.Hosting;
using Silk.Api.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.RestoreUrlPrecedence(args);

builder.Services.AddSilkOptions();
builder.Services.AddSilkOpenApi();

var app = builder.Build();

app.MapSilkOpenApi();
app.MapHealthApi();

app.LogStartupInfo();

app.Run();

/// <summary>Entry point; public so that tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
