namespace Silk.Api.Problems;

/// <summary>problem+json for every error answer, and the body limit of JSON routes.</summary>
public static class ProblemSetup
{
    public static IServiceCollection AddSilkProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Kestrel's own body limit can end a request inside the framework's JSON reading, which then
            // answers a bare 413; say what the limit is.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && context.ProblemDetails.Detail is null)
            {
                var limit = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.SilkOptions>>().Value.MaxBodyBytes;
                context.ProblemDetails.Detail = JsonBodyLimitMiddleware.TooLarge(limit).Message;
            }
        });
        services.AddExceptionHandler<ClientErrorExceptionHandler>();
        // Binding failures throw (and reach the handler above with their reason) instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Exception handler and status-code pages first, then routing (authentication and the body limit read endpoint metadata).</summary>
    public static WebApplication UseSilkProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        // A bodiless 4xx (no route, wrong method, a framework refusal) gets a problem too, whatever Accept says.
        app.UseStatusCodePages(static context => ProblemWriter.WriteAsync(
            context.HttpContext, ApiProblems.Create(context.HttpContext.Response.StatusCode, ReasonOf(context.HttpContext))));
        app.UseRouting();
        return app;
    }

    /// <summary>The body limit of JSON routes; after authentication, so that a caller without a key learns nothing from a 413.</summary>
    public static WebApplication UseSilkBodyLimits(this WebApplication app)
    {
        app.UseMiddleware<JsonBodyLimitMiddleware>();
        return app;
    }

    private static string ReasonOf(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => "no such route",
        StatusCodes.Status405MethodNotAllowed => "this route does not accept this method",
        StatusCodes.Status415UnsupportedMediaType => context.Request.ContentType is { Length: > 0 } type
            ? $"this route does not take a body of type '{type}' (the OpenAPI document lists the types it takes)"
            : "this route needs a Content-Type (the OpenAPI document lists the types it takes)",
        var status => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>
    /// An endpoint that reads a JSON body: bounded by the body limit, and documented with the problems any
    /// body can cause (400 malformed or mistyped, 413 too large, 415 not JSON).
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithMetadata(JsonBodyMetadata.Instance)
            .AddEndpointFilterFactory(static (context, next) =>
            {
                if (!context.MethodInfo.GetParameters().Any(p => NullElementFilter.Needed(p.ParameterType))) return next;
                var filter = new NullElementFilter();
                return invocation => filter.InvokeAsync(invocation, next);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>An endpoint whose query or route values can be malformed (400).</summary>
    public static RouteHandlerBuilder WithQueryProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest);
}
