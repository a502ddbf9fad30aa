using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Common;

/// <summary>One page of a list, sorted on the server; <see cref="SortBy"/> names a column the query offers.</summary>
public sealed record PageRequest(int Page = 0, int PageSize = 25, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 500;

    public int Skip => Math.Max(0, Page) * Size;
    public int Size => Math.Clamp(PageSize, 1, MaxPageSize);
}

/// <summary>A page and the count of all matches; <see cref="MoreThanTotal"/> when counting stopped at <see cref="TotalItems"/>.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalItems, bool MoreThanTotal = false);

public static class Paging
{
    /// <summary>Orders by the requested column when the query knows it, else by the default; then takes the page.</summary>
    public static IQueryable<T> SortAndPage<T>(this IQueryable<T> query, PageRequest page, IReadOnlyDictionary<string, Expression<Func<T, object?>>> columns, string defaultColumn)
    {
        var key = page.SortBy is not null && columns.ContainsKey(page.SortBy) ? page.SortBy : defaultColumn;
        var ordered = page.Descending ? query.OrderByDescending(columns[key]) : query.OrderBy(columns[key]);
        return ordered.Skip(page.Skip).Take(page.Size);
    }

    /// <summary>
    /// Counts matches up to <paramref name="limit"/>: a filter matching a large share of a large table costs a step per
    /// match to count, where the page itself reads 25.
    /// </summary>
    public static async Task<PagedResult<T>> PageCountingUpToAsync<T>(this IQueryable<T> query, IQueryable<T> page, int limit, CancellationToken ct)
    {
        var items = await page.ToListAsync(ct);
        var count = await query.Take(limit + 1).CountAsync(ct);
        return new PagedResult<T>(items, Math.Min(count, limit), count > limit);
    }
}

/// <summary>RFC 4180 CSV; cells that a spreadsheet would run as a formula are defused with a leading quote.</summary>
public static class Csv
{
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Cell)).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Cell(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
