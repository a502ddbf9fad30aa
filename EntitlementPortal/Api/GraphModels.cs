using System.Text.Json.Nodes;
using System.Xml;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Graph;

namespace EntitlementPortal.Api;

/// <summary>Domain objects in Graph's JSON shapes (microsoft.graph entitlement management resources, v1.0).</summary>
public static class GraphModels
{
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    public static string Duration(TimeSpan value) => XmlConvert.ToString(value);

    public static object Catalog(Catalog c) => new
    {
        id = c.Id,
        displayName = c.DisplayName,
        description = c.Description,
        catalogType = "userManaged",
        state = c.IsEnabled ? "published" : "unpublished",
        isExternallyVisible = c.IsExternallyVisible,
        createdDateTime = Utc(c.CreatedDateTime),
        modifiedDateTime = Utc(c.ModifiedDateTime),
    };

    public static Dictionary<string, object?> AccessPackage(AccessPackage p) => new()
    {
        ["id"] = p.Id,
        ["displayName"] = p.DisplayName,
        ["description"] = p.Description,
        ["isHidden"] = p.IsHidden,
        ["createdDateTime"] = Utc(p.CreatedDateTime),
        ["modifiedDateTime"] = Utc(p.ModifiedDateTime),
    };

    public static object RoleScope(PackageRoleScope s)
    {
        var originSystem = s.Resource.ResourceType switch
        {
            ResourceType.Group => "AadGroup",
            ResourceType.Application => "AadApplication",
            _ => "SharePointOnline",
        };
        return new
        {
            id = $"{s.Role.Id}_{s.Resource.Id}",
            role = new
            {
                id = s.Role.Id,
                displayName = s.Role.DisplayName,
                originId = s.Role.Id.ToString(),
                originSystem,
                resource = new { id = s.Resource.Id, displayName = s.Resource.DisplayName, description = s.Resource.Description, originId = s.Resource.Id.ToString(), originSystem },
            },
            scope = new { id = s.Resource.Id, displayName = "Root", description = "Root Scope", originId = s.Resource.Id.ToString(), originSystem, isRootScope = true },
        };
    }

    public static object Policy(AssignmentPolicy p) => new
    {
        id = p.Id,
        displayName = p.DisplayName,
        description = p.Description,
        allowedTargetScope = p.AllowedTargetScope,
        specificAllowedTargets = p.SpecificAllowedTargets.Select(target => SubjectSet(p.AllowedTargetScope, target)).ToList(),
        expiration = Expiration(p.Expiration),
        requestorSettings = new
        {
            enableTargetsToSelfAddAccess = p.AllowedTargetScope != AllowedTargetScope.NotSpecified,
            enableTargetsToSelfUpdateAccess = p.CanExtend,
            enableTargetsToSelfRemoveAccess = p.AllowedTargetScope != AllowedTargetScope.NotSpecified,
            allowCustomAssignmentSchedule = p.AllowCustomAssignmentSchedule,
            enableOnBehalfRequestorsToAddAccess = false,
            enableOnBehalfRequestorsToUpdateAccess = false,
            enableOnBehalfRequestorsToRemoveAccess = false,
        },
        requestApprovalSettings = new
        {
            isApprovalRequiredForAdd = p.IsApprovalRequired,
            isApprovalRequiredForUpdate = p.IsApprovalRequiredForExtension,
            isRequestorJustificationRequired = p.IsRequestorJustificationRequired,
            stages = p.Stages.Select(Stage).ToList(),
        },
        createdDateTime = Utc(p.CreatedDateTime),
        modifiedDateTime = Utc(p.ModifiedDateTime),
        accessPackage = new { id = p.AccessPackageId },
    };

    private static Dictionary<string, object?> SubjectSet(AllowedTargetScope scope, Guid target) =>
        scope == AllowedTargetScope.SpecificConnectedOrganizationUsers
            ? new() { ["@odata.type"] = "#microsoft.graph.connectedOrganizationMembers", ["connectedOrganizationId"] = target.ToString() }
            : new() { ["@odata.type"] = "#microsoft.graph.singleUser", ["userId"] = target.ToString() };

    private static object Expiration(ExpirationSettings e) => new
    {
        type = e.Type,
        endDateTime = e.Type == ExpirationType.AfterDateTime ? Utc(e.EndDateTime) : null,
        duration = e.Type == ExpirationType.AfterDuration && e.Duration is { } d ? Duration(d) : null,
    };

    private static object Stage(ApprovalStage s) => new
    {
        durationBeforeAutomaticDenial = Duration(TimeSpan.FromDays(s.DurationBeforeAutomaticDenialInDays)),
        isApproverJustificationRequired = s.IsApproverJustificationRequired,
        isEscalationEnabled = s.IsEscalationEnabled,
        durationBeforeEscalation = Duration(TimeSpan.FromDays(s.DurationBeforeEscalationInDays)),
        primaryApprovers = s.PrimaryApprovers.Select(Approver).ToList(),
        fallbackPrimaryApprovers = s.FallbackPrimaryApprovers.Select(Approver).ToList(),
        escalationApprovers = s.EscalationApprovers.Select(Approver).ToList(),
        fallbackEscalationApprovers = Array.Empty<object>(),
    };

    private static Dictionary<string, object?> Approver(Approver a) => a.Type switch
    {
        ApproverType.SingleUser => new() { ["@odata.type"] = "#microsoft.graph.singleUser", ["userId"] = a.UserId?.ToString() },
        ApproverType.InternalSponsors => new() { ["@odata.type"] = "#microsoft.graph.internalSponsors" },
        _ => new() { ["@odata.type"] = "#microsoft.graph.externalSponsors" },
    };

    public static Dictionary<string, object?> Assignment(AssignmentView v) => new()
    {
        ["id"] = v.Assignment.Id,
        ["state"] = v.Assignment.State,
        ["status"] = v.Assignment.Status,
        ["expiredDateTime"] = Utc(v.Assignment.ExpiredDateTime),
        ["schedule"] = new
        {
            startDateTime = Utc(v.Assignment.StartDateTime),
            expiration = v.Assignment.ExpiredDateTime is { } end
                ? new { type = "afterDateTime", endDateTime = (DateTime?)Utc(end) }
                : new { type = "noExpiration", endDateTime = (DateTime?)null },
        },
    };

    public static object Subject(DirectoryUser u) => new
    {
        id = u.Id,
        objectId = u.Id.ToString(),
        displayName = u.DisplayName,
        email = u.Mail,
        principalName = u.Mail,
        subjectType = "user",
    };

    public static object Request(AccessPackageAssignmentRequest r) => new
    {
        id = r.Id,
        requestType = r.RequestType,
        state = r.State,
        status = r.Status,
        justification = r.Justification,
        createdDateTime = Utc(r.CreatedDateTime),
        completedDateTime = Utc(r.CompletedDateTime),
        schedule = new { startDateTime = Utc(r.CreatedDateTime) },
        accessPackage = new { id = r.AccessPackageId },
        assignment = r.AssignmentId is { } assignmentId ? new { id = assignmentId } : null,
        requestor = new { email = r.RequestorEmail, objectId = r.RequestorUserId?.ToString() },
    };

    public static object ConnectedOrganization(ConnectedOrganization o) => new
    {
        id = o.Id,
        displayName = o.DisplayName,
        description = o.Description,
        state = o.State,
        createdDateTime = Utc(o.CreatedDateTime),
        modifiedDateTime = Utc(o.ModifiedDateTime),
        identitySources = o.IdentitySources.Select(s => s.Kind == IdentitySourceKind.Tenant
            ? new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.azureActiveDirectoryTenant", ["tenantId"] = s.Value, ["displayName"] = o.DisplayName }
            : new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.domainIdentitySource", ["domainName"] = s.Value, ["displayName"] = s.Value }).ToList(),
    };

    public static object User(DirectoryUser u) => new Dictionary<string, object?>
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = u.Id,
        ["displayName"] = u.DisplayName,
        ["mail"] = u.Mail,
        ["userPrincipalName"] = u.Mail,
    };
}

/// <summary>Reading a Graph request body: typed values with a 400 naming the property when one is missing or wrong.</summary>
public sealed class GraphBody(JsonObject json)
{
    public static async Task<GraphBody> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) is JsonObject json
                ? new GraphBody(json)
                : throw new GraphRequestException("The request body must be a JSON object.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new GraphRequestException("The request body is not valid JSON.");
        }
    }

    public bool Has(string property) => json.ContainsKey(property) && json[property] is not null;

    public GraphBody? Object(string property) => json[property] is JsonObject inner ? new GraphBody(inner) : null;

    public IEnumerable<GraphBody> Array(string property) =>
        json[property] is JsonArray items ? items.OfType<JsonObject>().Select(i => new GraphBody(i)) : [];

    public string? String(string property) => Get<string>(property);

    public bool? Bool(string property) => Get<bool?>(property);

    public string ODataType => String("@odata.type") ?? "";

    public Guid? Guid(string property) =>
        String(property) is not { } text ? null : System.Guid.TryParse(text, out var id) ? id : throw new GraphRequestException($"{property} must be a GUID.");

    public DateTime? DateTime(string property) =>
        String(property) is not { } text ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at.UtcDateTime
        : throw new GraphRequestException($"{property} must be a date and time (ISO 8601).");

    public TimeSpan? Duration(string property)
    {
        if (String(property) is not { } text)
        {
            return null;
        }
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw new GraphRequestException($"{property} must be an ISO 8601 duration such as P30D.");
        }
    }

    public T? Enum<T>(string property) where T : struct, System.Enum =>
        String(property) is not { } text ? null
        : System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _) ? value
        : throw new GraphRequestException($"'{text}' is not a valid value for {property}.");

    public string Required(string property) =>
        String(property) is { Length: > 0 } value ? value : throw new GraphRequestException($"{property} is required.");

    private T? Get<T>(string property)
    {
        try
        {
            return json[property] is { } node ? node.GetValue<T>() : default;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new GraphRequestException($"{property} has the wrong type.");
        }
    }
}
