using Silk.Api.Batch;
using Silk.Api.Compaction;
using Silk.Api.Edges;
using Silk.Api.Graph;
using Silk.Api.Health;
using Silk.Api.Hosting;
using Silk.Api.Info;
using Silk.Api.Json;
using Silk.Api.Nodes;
using Silk.Api.OpenApi;
using Silk.Api.Ontology;
using Silk.Api.Observations;
using Silk.Api.Oplog;
using Silk.Api.Peers;
using Silk.Api.Problems;
using Silk.Api.Quarantine;
using Silk.Api.Query;
using Silk.Api.Sync;

var builder = WebApplication.CreateBuilder(args);
builder.RestoreUrlPrecedence(args);

builder.Services.AddSilkOptions();
builder.Services.AddSilkJson();
builder.Services.AddSilkProblems();
builder.Services.AddSilkOpenApi();
builder.Services.AddSilkStore();
builder.Services.AddSilkPeers();

var app = builder.Build();

app.UseSilkProblems();
app.MapSilkOpenApi();
app.MapHealthApi();
app.MapInfoApi();
app.MapOntologyApi();
app.MapNodesApi();
app.MapEdgesApi();
app.MapGraphApi();
app.MapQueryApi();
app.MapBatchApi();
app.MapOplogApi();
app.MapQuarantineApi();
app.MapCompactionApi();
app.MapObservationsApi();
app.MapSyncApi();
app.MapPeersApi();

var store = app.OpenSilkStore();
app.LogStartupInfo(store);
app.OpenSilkPeers();

app.Run();

/// <summary>Entry point; public so that tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
