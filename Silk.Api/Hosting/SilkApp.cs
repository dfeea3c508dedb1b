using Silk.Api.Auth;
using Silk.Api.Batch;
using Silk.Api.Compaction;
using Silk.Api.Diagnostics;
using Silk.Api.Edges;
using Silk.Api.Explorer;
using Silk.Api.Graph;
using Silk.Api.Health;
using Silk.Api.Import;
using Silk.Api.Indexes;
using Silk.Api.Info;
using Silk.Api.Json;
using Silk.Api.Limits;
using Silk.Api.Nodes;
using Silk.Api.Observations;
using Silk.Api.OpenApi;
using Silk.Api.Ontology;
using Silk.Api.Oplog;
using Silk.Api.Peers;
using Silk.Api.Problems;
using Silk.Api.Quarantine;
using Silk.Api.Query;
using Silk.Api.Signing;
using Silk.Api.Sync;
using Silk.Api.Tail;

namespace Silk.Api.Hosting;

/// <summary>
/// The whole server as one call: settings, services, middleware, every route, and the store opened.
/// <c>Program</c> runs it; the HTTP load benchmark starts it in-process on Kestrel.
/// </summary>
public static class SilkApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.RestoreUrlPrecedence(args);

        builder.Services.AddSilkOptions();
        builder.Services.AddSilkDiagnostics(builder.Configuration);
        builder.Services.AddSilkJson();
        builder.Services.AddSilkProblems();
        builder.Services.AddSilkAuth();
        builder.Services.AddSilkLimits();
        builder.Services.AddSilkOpenApi();
        builder.Services.AddSilkStore();
        builder.Services.AddSilkTail();
        builder.Services.AddSilkPeers();
        builder.Services.AddSilkSyncCompression();
        builder.Services.AddSilkCompaction();
        builder.Services.AddSilkImport();
        builder.Services.AddSilkIndexes();
        builder.Services.AddSilkSigning();

        var app = builder.Build();

        app.UseSlowRequestLogging();
        app.UseSilkProblems();
        app.UseSilkExplorer();
        app.UseSilkAuth();
        app.UseSilkLimits();
        app.UseSilkBodyLimits();
        app.UseSilkSyncCompression();
        app.MapSilkOpenApi();
        app.MapHealthApi();
        app.MapInfoApi();
        app.MapOntologyApi();
        app.MapNodesApi();
        app.MapEdgesApi();
        app.MapGraphApi();
        app.MapQueryApi();
        app.MapIndexesApi();
        app.MapBatchApi();
        app.MapImportApi();
        app.MapOplogApi();
        app.MapQuarantineApi();
        app.MapCompactionApi();
        app.MapObservationsApi();
        app.MapTailApi();
        app.MapSyncApi();
        app.MapPeersApi();
        app.MapSigningApi();
        app.MapTailTokenApi();
        app.CheckSilkAccessDeclared();

        app.OpenSilkStore();
        app.OpenSilkIndexes();
        app.OpenSilkSigning();
        app.UseGracefulShutdown();
        return app;
    }
}
