using EntitlementPortal.Domain;
using EntitlementPortal.Features.AccessPackages;
using EntitlementPortal.Features.Catalogs;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Features.ConnectedOrganizations;
using EntitlementPortal.Features.Graph;
using EntitlementPortal.Features.Policies;
using EntitlementPortal.Features.Requests;
using EntitlementPortal.Features.Settings;

namespace EntitlementPortal.Api;

/// <summary>
/// Microsoft Graph's entitlement management API (v1.0) over the portal's services: the same authorization and audit as
/// the pages, so a client can do exactly what its role may.
/// </summary>
public static class GraphEndpoints
{
    public const string Root = "/v1.0/identityGovernance/entitlementManagement";

    public static void MapGraphEndpoints(this WebApplication app)
    {
        var api = app.MapGroup(Root).RequireAuthorization(ApiAuthentication.PolicyName).AddEndpointFilter(GraphErrors.FilterAsync).WithTags("Entitlement management");
        MapCatalogs(api);
        MapAccessPackages(api);
        MapPolicies(api);
        MapRequests(api);
        MapAssignments(api);
        MapConnectedOrganizations(api);
        MapSettings(api);
        app.Map("/v1.0/{**rest}", () => GraphErrors.Result(StatusCodes.Status400BadRequest, "BadRequest", "Resource not found for the segment.")).ExcludeFromDescription();
    }

    private static Actor Caller(HttpContext http) =>
        http.RequestServices.GetRequiredService<ApiTokenIssuer>().ActorFor(http.User) is { } actor && actor != Actor.Anonymous
            ? actor
            : throw new ForbiddenException("The token is valid but speaks for no client or person this portal knows.");

    private static string Context(HttpRequest request, string entitySet) => $"{request.Scheme}://{request.Host}/v1.0/$metadata#identityGovernance/entitlementManagement/{entitySet}";

    private static IResult Single(HttpRequest request, string entitySet, object? item, string what, Guid id) =>
        Entity(request, entitySet, item ?? throw new NotFoundException(what, id));

    /// <summary>201 with the new entity and its address, as Graph answers a POST.</summary>
    private static IResult Created(HttpRequest request, string entitySet, object item, Guid id)
    {
        request.HttpContext.Response.Headers.Location = $"{request.Scheme}://{request.Host}{Root}/{entitySet}/{id}";
        return Entity(request, entitySet, item, StatusCodes.Status201Created);
    }

    private static IResult Entity(HttpRequest request, string entitySet, object item, int status = StatusCodes.Status200OK)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(item, GraphJson.Options)!.AsObject();
        body.Insert(0, "@odata.context", $"{Context(request, entitySet)}/$entity");
        return Results.Json(body, GraphJson.Options, statusCode: status);
    }

    private static readonly Window One = new(0, 1);

    private static void MapCatalogs(RouteGroupBuilder api)
    {
        api.MapGet("/catalogs", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["displayName", "state"], []);
            var enabled = query["state"] switch
            {
                null => (bool?)null,
                "published" => true,
                "unpublished" => false,
                var other => throw new GraphRequestException($"Invalid value '{other}' for state: published or unpublished."),
            };
            var items = await q.CatalogsAsync(Caller(http), null, query["displayName"], enabled, new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "catalogs"), items.Select(GraphModels.Catalog).ToList());
        });
        api.MapGet("/catalogs/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
            Single(http.Request, "catalogs", (await q.CatalogsAsync(Caller(http), id, null, null, One, http.RequestAborted)).Select(GraphModels.Catalog).SingleOrDefault(), "Catalog", id));
        api.MapPost("/catalogs", async (HttpContext http, CatalogService catalogs, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var input = new CatalogInput(body.Required("displayName"), body.String("description"), body.String("state") != "unpublished", body.Bool("isExternallyVisible") ?? true);
            var id = await catalogs.CreateAsync(Caller(http), input, http.RequestAborted);
            return Created(http.Request, "catalogs", GraphModels.Catalog((await q.CatalogsAsync(Caller(http), id, null, null, One, http.RequestAborted)).Single()), id);
        });
        api.MapPatch("/catalogs/{id:guid}", async (Guid id, HttpContext http, CatalogService catalogs, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var current = (await q.CatalogsAsync(Caller(http), id, null, null, One, http.RequestAborted)).SingleOrDefault() ?? throw new NotFoundException("Catalog", id);
            await catalogs.UpdateAsync(Caller(http), id, new CatalogInput(
                body.String("displayName") ?? current.DisplayName,
                body.Has("description") ? body.String("description") : current.Description,
                body.Has("state") ? body.String("state") != "unpublished" : current.IsEnabled,
                body.Bool("isExternallyVisible") ?? current.IsExternallyVisible), http.RequestAborted);
            return Results.NoContent();
        });
        api.MapDelete("/catalogs/{id:guid}", async (Guid id, HttpContext http, CatalogService catalogs) =>
        {
            await catalogs.DeleteAsync(Caller(http), id, http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static void MapAccessPackages(RouteGroupBuilder api)
    {
        string[] expandable = ["catalog", "resourceRoleScopes", "assignmentPolicies"];
        async Task<List<Dictionary<string, object?>>> ShapeAsync(HttpContext http, EntitlementQueryService q, GraphQuery query, List<AccessPackage> packages)
        {
            var shaped = packages.Select(GraphModels.AccessPackage).ToList();
            var ids = packages.Select(p => p.Id).ToList();
            if (query.Expands("resourceRoleScopes"))
            {
                var scopes = (await q.RoleScopesAsync(Caller(http), ids, http.RequestAborted)).ToLookup(s => s.PackageId);
                shaped.Zip(packages).ToList().ForEach(x => x.First["resourceRoleScopes"] = scopes[x.Second.Id].Select(GraphModels.RoleScope).ToList());
            }
            if (query.Expands("assignmentPolicies"))
            {
                var policies = (await q.PoliciesAsync(Caller(http), null, null, ids, new Window(0, int.MaxValue), http.RequestAborted)).ToLookup(p => p.AccessPackageId);
                shaped.Zip(packages).ToList().ForEach(x => x.First["assignmentPolicies"] = policies[x.Second.Id].Select(GraphModels.Policy).ToList());
            }
            if (query.Expands("catalog"))
            {
                var catalogs = new Dictionary<Guid, object>();
                foreach (var catalogId in packages.Select(p => p.CatalogId).Distinct())
                {
                    catalogs[catalogId] = (await q.CatalogsAsync(Caller(http), catalogId, null, null, One, http.RequestAborted)).Select(GraphModels.Catalog).SingleOrDefault() ?? new { id = catalogId };
                }
                shaped.Zip(packages).ToList().ForEach(x => x.First["catalog"] = catalogs[x.Second.CatalogId]);
            }
            return shaped;
        }
        api.MapGet("/accessPackages", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["displayName", "catalog/id"], expandable);
            var packages = await q.AccessPackagesAsync(Caller(http), null, query["displayName"], query.GuidFilter("catalog/id"), new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "accessPackages"), await ShapeAsync(http, q, query, packages));
        });
        api.MapGet("/accessPackages/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, [], expandable);
            var packages = await q.AccessPackagesAsync(Caller(http), id, null, null, One, http.RequestAborted);
            return Single(http.Request, "accessPackages", (await ShapeAsync(http, q, query, packages)).SingleOrDefault(), "Access package", id);
        });
        api.MapPost("/accessPackages", async (HttpContext http, AccessPackageService packages, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var catalogId = body.Object("catalog")?.Guid("id") ?? throw new GraphRequestException("catalog.id is required.");
            var id = await packages.CreateAsync(Caller(http), new AccessPackageInput(catalogId, body.Required("displayName"), body.String("description"), body.Bool("isHidden") ?? false), http.RequestAborted);
            return Created(http.Request, "accessPackages", GraphModels.AccessPackage((await q.AccessPackagesAsync(Caller(http), id, null, null, One, http.RequestAborted)).Single()), id);
        });
        api.MapPatch("/accessPackages/{id:guid}", async (Guid id, HttpContext http, AccessPackageService packages, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var current = (await q.AccessPackagesAsync(Caller(http), id, null, null, One, http.RequestAborted)).SingleOrDefault() ?? throw new NotFoundException("Access package", id);
            await packages.UpdateAsync(Caller(http), id, new AccessPackageInput(current.CatalogId,
                body.String("displayName") ?? current.DisplayName,
                body.Has("description") ? body.String("description") : current.Description,
                body.Bool("isHidden") ?? current.IsHidden), http.RequestAborted);
            return Results.NoContent();
        });
        api.MapDelete("/accessPackages/{id:guid}", async (Guid id, HttpContext http, AccessPackageService packages) =>
        {
            await packages.DeleteAsync(Caller(http), id, http.RequestAborted);
            return Results.NoContent();
        });
        api.MapPost("/accessPackages/{id:guid}/resourceRoleScopes", async (Guid id, HttpContext http, AccessPackageService packages) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var role = body.Object("role") ?? throw new GraphRequestException("role is required.");
            var roleId = role.Guid("id") ?? role.Guid("originId") ?? throw new GraphRequestException("role.originId is required.");
            await packages.AddResourceRoleAsync(Caller(http), id, roleId, http.RequestAborted);
            return Results.Json(new Dictionary<string, object?> { ["@odata.context"] = Context(http.Request, $"accessPackages('{id}')/resourceRoleScopes/$entity"), ["id"] = $"{roleId}" },
                GraphJson.Options, statusCode: StatusCodes.Status201Created);
        });
    }

    private static void MapPolicies(RouteGroupBuilder api)
    {
        api.MapGet("/assignmentPolicies", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["displayName", "accessPackage/id"], []);
            var packageId = query.GuidFilter("accessPackage/id");
            var policies = await q.PoliciesAsync(Caller(http), null, query["displayName"], packageId is { } p ? [p] : null, new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "assignmentPolicies"), policies.Select(GraphModels.Policy).ToList());
        });
        api.MapGet("/assignmentPolicies/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
            Single(http.Request, "assignmentPolicies", (await q.PoliciesAsync(Caller(http), id, null, null, One, http.RequestAborted)).Select(GraphModels.Policy).SingleOrDefault(), "Policy", id));
        api.MapPost("/assignmentPolicies", async (HttpContext http, PolicyService policies, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var packageId = body.Object("accessPackage")?.Guid("id") ?? throw new GraphRequestException("accessPackage.id is required.");
            var saved = await policies.CreateAsync(Caller(http), packageId, GraphPolicies.Read(body), http.RequestAborted);
            return Created(http.Request, "assignmentPolicies", GraphModels.Policy((await q.PoliciesAsync(Caller(http), saved.PolicyId, null, null, One, http.RequestAborted)).Single()), saved.PolicyId);
        });
        api.MapPut("/assignmentPolicies/{id:guid}", async (Guid id, HttpContext http, PolicyService policies, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            await policies.UpdateAsync(Caller(http), id, GraphPolicies.Read(body), http.RequestAborted);
            return Single(http.Request, "assignmentPolicies", (await q.PoliciesAsync(Caller(http), id, null, null, One, http.RequestAborted)).Select(GraphModels.Policy).SingleOrDefault(), "Policy", id);
        });
        api.MapDelete("/assignmentPolicies/{id:guid}", async (Guid id, HttpContext http, PolicyService policies) =>
        {
            await policies.DeleteAsync(Caller(http), id, http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static void MapRequests(RouteGroupBuilder api)
    {
        api.MapGet("/assignmentRequests", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["state", "requestType", "accessPackage/id"], []);
            var requests = await q.RequestsAsync(Caller(http), null, query.EnumFilter<RequestState>("state"), query.EnumFilter<RequestType>("requestType"),
                query.GuidFilter("accessPackage/id"), new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "assignmentRequests"), requests.Select(GraphModels.Request).ToList());
        });
        api.MapGet("/assignmentRequests/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
            Single(http.Request, "assignmentRequests", (await q.RequestsAsync(Caller(http), id, null, null, null, One, http.RequestAborted)).Select(GraphModels.Request).SingleOrDefault(), "Request", id));
        api.MapPost("/assignmentRequests", async (HttpContext http, RequestService requests, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var assignment = body.Object("assignment") ?? throw new GraphRequestException("assignment is required.");
            var actor = Caller(http);
            var id = body.Enum<RequestType>("requestType") switch
            {
                RequestType.AdminAdd => await requests.AssignDirectlyAsync(actor, new DirectAssignmentInput(
                    PackageOf(assignment),
                    PolicyOf(assignment) ?? throw new GraphRequestException("assignment.assignmentPolicyId is required."),
                    assignment.Guid("targetId"),
                    assignment.Object("target")?.String("email"),
                    assignment.Object("target")?.String("displayName"),
                    body.String("justification")), http.RequestAborted),
                RequestType.UserAdd => await requests.SubmitAsync(actor, new AccessRequestInput(
                    PackageOf(assignment),
                    PolicyOf(assignment),
                    body.String("justification")), http.RequestAborted),
                RequestType.AdminRemove => await requests.RemoveAssignmentAsync(actor,
                    assignment.Guid("id") ?? throw new GraphRequestException("assignment.id is required for adminRemove."), http.RequestAborted),
                null => throw new GraphRequestException("requestType is required."),
                var other => throw new GraphRequestException($"requestType '{other}' is not supported here: use adminAdd, userAdd or adminRemove."),
            };
            return Created(http.Request, "assignmentRequests", GraphModels.Request((await q.RequestsAsync(actor, id, null, null, null, One, http.RequestAborted)).Single()), id);
        });
        api.MapPost("/assignmentRequests/{id:guid}/cancel", async (Guid id, HttpContext http, RequestService requests) =>
        {
            await requests.CancelAsync(Caller(http), id, http.RequestAborted);
            return Results.Ok();
        });
        api.MapPost("/assignmentRequests/{id:guid}/reprocess", async (Guid id, HttpContext http, RequestService requests) =>
        {
            await requests.ReprocessAsync(Caller(http), id, http.RequestAborted);
            return Results.Accepted();
        });
    }

    // Graph takes both the flat ids of its examples and the navigation objects the SDK models have.
    private static Guid PackageOf(GraphBody assignment) =>
        assignment.Guid("accessPackageId") ?? assignment.Object("accessPackage")?.Guid("id") ?? throw new GraphRequestException("assignment.accessPackageId is required.");

    private static Guid? PolicyOf(GraphBody assignment) => assignment.Guid("assignmentPolicyId") ?? assignment.Object("assignmentPolicy")?.Guid("id");

    private static void MapAssignments(RouteGroupBuilder api)
    {
        string[] expandable = ["target", "accessPackage", "assignmentPolicy"];
        Dictionary<string, object?> Shape(GraphQuery query, AssignmentView view)
        {
            var item = GraphModels.Assignment(view);
            if (query.Expands("target"))
            {
                item["target"] = GraphModels.Subject(view.Target);
            }
            if (query.Expands("accessPackage"))
            {
                item["accessPackage"] = GraphModels.AccessPackage(view.Package);
            }
            if (query.Expands("assignmentPolicy"))
            {
                item["assignmentPolicy"] = new { id = view.Assignment.AssignmentPolicyId };
            }
            return item;
        }
        api.MapGet("/assignments", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["state", "accessPackage/id", "target/objectId"], expandable);
            var assignments = await q.AssignmentsAsync(Caller(http), null, query.EnumFilter<AssignmentState>("state"), query.GuidFilter("accessPackage/id"),
                query.GuidFilter("target/objectId"), new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "assignments"), assignments.Select(a => Shape(query, a)).ToList());
        });
        api.MapGet("/assignments/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, [], expandable);
            var found = await q.AssignmentsAsync(Caller(http), id, null, null, null, One, http.RequestAborted);
            return Single(http.Request, "assignments", found.Select(a => Shape(query, a)).SingleOrDefault(), "Assignment", id);
        });
    }

    private static void MapConnectedOrganizations(RouteGroupBuilder api)
    {
        api.MapGet("/connectedOrganizations", async (HttpContext http, EntitlementQueryService q) =>
        {
            var query = GraphQuery.From(http.Request, ["displayName", "state"], []);
            var organizations = await q.ConnectedOrganizationsAsync(Caller(http), null, query["displayName"], query.EnumFilter<ConnectedOrganizationState>("state"),
                new Window(query.Skip, query.Top + 1), http.RequestAborted);
            return query.Page(http.Request, Context(http.Request, "connectedOrganizations"), organizations.Select(GraphModels.ConnectedOrganization).ToList());
        });
        api.MapGet("/connectedOrganizations/{id:guid}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
            Single(http.Request, "connectedOrganizations", (await q.ConnectedOrganizationsAsync(Caller(http), id, null, null, One, http.RequestAborted)).Select(GraphModels.ConnectedOrganization).SingleOrDefault(), "Connected organization", id));
        api.MapPost("/connectedOrganizations", async (HttpContext http, ConnectedOrganizationService organizations, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var (domains, tenants) = IdentitySources(body);
            var id = await organizations.CreateAsync(Caller(http), new ConnectedOrganizationInput(body.Required("displayName"), body.String("description"), domains, tenants), http.RequestAborted);
            return Created(http.Request, "connectedOrganizations", GraphModels.ConnectedOrganization((await q.ConnectedOrganizationsAsync(Caller(http), id, null, null, One, http.RequestAborted)).Single()), id);
        });
        api.MapPatch("/connectedOrganizations/{id:guid}", async (Guid id, HttpContext http, ConnectedOrganizationService organizations, EntitlementQueryService q) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var current = (await q.ConnectedOrganizationsAsync(Caller(http), id, null, null, One, http.RequestAborted)).SingleOrDefault() ?? throw new NotFoundException("Connected organization", id);
            var (domains, tenants) = body.Has("identitySources") ? IdentitySources(body)
                : ([.. current.IdentitySources.Where(s => s.Kind == IdentitySourceKind.Domain).Select(s => s.Value)], [.. current.IdentitySources.Where(s => s.Kind == IdentitySourceKind.Tenant).Select(s => s.Value)]);
            await organizations.UpdateAsync(Caller(http), id, new ConnectedOrganizationInput(body.String("displayName") ?? current.DisplayName,
                body.Has("description") ? body.String("description") : current.Description, domains, tenants), http.RequestAborted);
            if (body.Enum<ConnectedOrganizationState>("state") == ConnectedOrganizationState.Configured && current.State == ConnectedOrganizationState.Proposed)
            {
                await organizations.ConfigureAsync(Caller(http), id, http.RequestAborted);
            }
            return Results.NoContent();
        });
        api.MapDelete("/connectedOrganizations/{id:guid}", async (Guid id, HttpContext http, ConnectedOrganizationService organizations) =>
        {
            await organizations.DeleteAsync(Caller(http), id, http.RequestAborted);
            return Results.NoContent();
        });
        foreach (var (segment, kind) in new[] { ("internalSponsors", SponsorKind.Internal), ("externalSponsors", SponsorKind.External) })
        {
            api.MapGet($"/connectedOrganizations/{{id:guid}}/{segment}", async (Guid id, HttpContext http, EntitlementQueryService q) =>
                Results.Json(new Dictionary<string, object?>
                {
                    ["@odata.context"] = $"{http.Request.Scheme}://{http.Request.Host}/v1.0/$metadata#directoryObjects",
                    ["value"] = (await q.SponsorsAsync(Caller(http), id, kind, http.RequestAborted)).Select(GraphModels.User).ToList(),
                }, GraphJson.Options));
            api.MapPost($"/connectedOrganizations/{{id:guid}}/{segment}/$ref", async (Guid id, HttpContext http, ConnectedOrganizationService organizations) =>
            {
                var body = await GraphBody.ReadAsync(http.Request);
                var reference = body.Required("@odata.id");
                var userId = System.Guid.TryParse(reference.TrimEnd('/').Split('/')[^1], out var parsed) ? parsed : throw new GraphRequestException("@odata.id must end with the user's id.");
                await organizations.AddSponsorAsync(Caller(http), id, userId, kind, http.RequestAborted);
                return Results.NoContent();
            });
            api.MapDelete($"/connectedOrganizations/{{id:guid}}/{segment}/{{userId:guid}}/$ref", async (Guid id, Guid userId, HttpContext http, ConnectedOrganizationService organizations) =>
            {
                await organizations.RemoveSponsorAsync(Caller(http), id, userId, kind, http.RequestAborted);
                return Results.NoContent();
            });
        }
    }

    private static (List<string> Domains, List<string> Tenants) IdentitySources(GraphBody body)
    {
        var sources = body.Array("identitySources").ToList();
        var domains = sources.Where(s => s.ODataType.EndsWith("domainIdentitySource", StringComparison.OrdinalIgnoreCase)).Select(s => s.Required("domainName")).ToList();
        var tenants = sources.Where(s => s.ODataType.EndsWith("azureActiveDirectoryTenant", StringComparison.OrdinalIgnoreCase)).Select(s => s.Required("tenantId")).ToList();
        if (domains.Count + tenants.Count != sources.Count)
        {
            throw new GraphRequestException("identitySources: only #microsoft.graph.domainIdentitySource and #microsoft.graph.azureActiveDirectoryTenant are supported.");
        }
        return (domains, tenants);
    }

    private static void MapSettings(RouteGroupBuilder api)
    {
        api.MapGet("/settings", async (HttpContext http, LifecycleSettingsService settings) =>
            Results.Json(GraphSettings.Write(Context(http.Request, "settings/$entity"), await settings.GetAsync(Caller(http), http.RequestAborted)), GraphJson.Options));
        api.MapPatch("/settings", async (HttpContext http, LifecycleSettingsService settings) =>
        {
            var body = await GraphBody.ReadAsync(http.Request);
            var current = await settings.GetAsync(Caller(http), http.RequestAborted);
            await settings.UpdateAsync(Caller(http), GraphSettings.Read(body, current), http.RequestAborted);
            return Results.NoContent();
        });
    }
}
