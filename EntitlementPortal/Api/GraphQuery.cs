using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace EntitlementPortal.Api;

public static class GraphJson
{
    /// <summary>camelCase names and enum values, no nulls, as Graph writes them.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>The OData query options Graph's entitlement management lists take: $top, $skiptoken, $filter with eq, $expand.</summary>
public sealed partial record GraphQuery(int Top, int Skip, IReadOnlyDictionary<string, string> Filter, IReadOnlySet<string> Expand)
{
    public const int DefaultTop = 100;
    public const int MaxTop = 999;

    public static GraphQuery From(HttpRequest request, IReadOnlyCollection<string> filterable, IReadOnlyCollection<string> expandable)
    {
        var top = DefaultTop;
        if (request.Query.TryGetValue("$top", out var topText) && (!int.TryParse(topText, out top) || top < 1 || top > MaxTop))
        {
            throw new GraphRequestException($"Invalid value '{topText}' for $top: a whole number from 1 to {MaxTop}.");
        }
        var skip = 0;
        if (request.Query.TryGetValue("$skiptoken", out var token) && (!int.TryParse(token, out skip) || skip < 0))
        {
            throw new GraphRequestException("Invalid $skiptoken.");
        }
        var expand = ((string?)request.Query["$expand"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (expand.FirstOrDefault(e => !expandable.Contains(e, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw new GraphRequestException($"Could not find a navigation property '{unknown}' to expand.");
        }
        return new GraphQuery(top, skip, ParseFilter(request.Query["$filter"], filterable), expand);
    }

    /// <summary>Clauses of the form <c>property eq 'value'</c>, joined by <c>and</c>.</summary>
    private static Dictionary<string, string> ParseFilter(string? filter, IReadOnlyCollection<string> filterable)
    {
        var clauses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(filter))
        {
            return clauses;
        }
        var match = Clauses().Match(filter);
        if (!match.Success)
        {
            throw new GraphRequestException($"Invalid filter '{filter}': this API supports property eq 'value', joined by and.");
        }
        for (var i = 0; i < match.Groups["property"].Captures.Count; i++)
        {
            var property = match.Groups["property"].Captures[i].Value;
            if (!filterable.Contains(property, StringComparer.OrdinalIgnoreCase))
            {
                throw new GraphRequestException($"Invalid filter clause: the property '{property}' cannot be filtered on here (only {string.Join(", ", filterable)}).");
            }
            clauses[property] = match.Groups["value"].Captures[i].Value.Replace("''", "'", StringComparison.Ordinal);
        }
        return clauses;
    }

    public bool Expands(string navigation) => Expand.Contains(navigation);

    public string? this[string property] => Filter.GetValueOrDefault(property);

    /// <summary>A filter value that must be a GUID: anything else matches nothing, as in Graph.</summary>
    public Guid? GuidFilter(string property) =>
        this[property] is not { } text ? null : Guid.TryParse(text, out var id) ? id : throw new GraphRequestException($"Invalid GUID '{text}' in $filter.");

    /// <summary>An enum filter value in Graph's camelCase.</summary>
    public T? EnumFilter<T>(string property) where T : struct, Enum =>
        this[property] is not { } text ? null : Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _)
            ? value
            : throw new GraphRequestException($"Invalid value '{text}' for {property}.");

    /// <summary>The page Graph returns: <c>value</c> and, when there is more, <c>@odata.nextLink</c> with a skip token.</summary>
    public IResult Page<T>(HttpRequest request, string context, IReadOnlyList<T> itemsAndOneMore)
    {
        var more = itemsAndOneMore.Count > Top;
        var page = new Dictionary<string, object?> { ["@odata.context"] = context, ["value"] = itemsAndOneMore.Take(Top) };
        if (more)
        {
            var query = QueryHelpers.ParseQuery(request.QueryString.Value).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
            query["$skiptoken"] = (Skip + Top).ToString(System.Globalization.CultureInfo.InvariantCulture);
            query["$top"] = Top.ToString(System.Globalization.CultureInfo.InvariantCulture);
            page["@odata.nextLink"] = QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", query);
        }
        return Results.Json(page, GraphJson.Options);
    }

    private const string Clause = @"(?<property>[A-Za-z]+(?:/[A-Za-z]+)?)\s+eq\s+'(?<value>(?:[^']|'')*)'";

    [GeneratedRegex(@"^\s*" + Clause + @"(?:\s+and\s+" + Clause + @")*\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Clauses();
}
