using Microsoft.Data.Sqlite;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// Fills a database to a tenant's size fast: each table gets copies of one template row the services wrote, in one
/// set-based INSERT … SELECT over a number series, with ids and the columns that must differ computed from the row number.
/// </summary>
public sealed class TenantGenerator(SqliteConnection connection)
{
    /// <summary>A GUID as EF Core stores it on SQLite (upper-case text), numbered within a kind so rows can point at each other.</summary>
    public static string Id(int kind, string number) => $"printf('%08X-0000-4000-8000-%012X', {kind}, {number})";

    /// <param name="templateKey">The column naming the template row (or rows): <c>Id</c> unless the table has none.</param>
    public async Task CloneAsync(string table, string templateId, long count, Dictionary<string, string> computed, string templateKey = "Id")
    {
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"PRAGMA table_info(\"{table}\")";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(1));
            }
        }
        var values = columns.Select(c => computed.TryGetValue(c, out var expression) ? expression : $"t.\"{c}\"");
        await using var insert = connection.CreateCommand();
        insert.CommandTimeout = 0;
        insert.CommandText = $"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
            INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))})
            SELECT {string.Join(", ", values)} FROM n, (SELECT * FROM "{table}" WHERE "{templateKey}" = $template) AS t
            """;
        insert.Parameters.AddWithValue("$template", templateId);
        await insert.ExecuteNonQueryAsync();
    }
}
