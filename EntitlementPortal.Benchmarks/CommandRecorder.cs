using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Benchmarks;

/// <summary>Keeps the SQL a service call sends, with its parameters, so its query plans can be read afterwards.</summary>
public sealed partial class CommandRecorder : DbCommandInterceptor
{
    private static readonly HashSet<string> GrowingTables =
    [
        "Users", "Assignments", "AssignmentRequests", "AuditEvents", "AccessPackages", "AssignmentPolicies", "Catalogs",
        "ConnectedOrganizations", "IdentitySources", "OutboxEmails", "ResourceRoleMemberships", "ApprovalDecisions", "PendingApprovalRoutes",
        "ApprovalHistoryEntries",
    ];

    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> commands = [];

    public bool Recording { get; set; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (Recording)
        {
            lock (commands)
            {
                commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToArray()));
            }
        }
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    /// <summary>The plan of every recorded query, and whether any step reads a whole table instead of an index.</summary>
    public async Task<(List<string> Plan, bool IndexBacked)> PlansAsync(string databasePath)
    {
        List<(string Sql, (string Name, object? Value)[] Parameters)> recorded;
        lock (commands)
        {
            recorded = [.. commands];
            commands.Clear();
        }
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var plan = new List<string>();
        var indexBacked = true;
        foreach (var (sql, parameters) in recorded.DistinctBy(c => c.Sql))
        {
            var tables = Aliases().Matches(sql).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value, StringComparer.Ordinal);
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var step = reader.GetString(3);
                plan.Add(step);
                // "SCAN t" alone reads every row of t; "SCAN t USING … INDEX" and "SEARCH" use an index. Role and settings tables hold a handful of rows.
                if (step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains("USING", StringComparison.Ordinal))
                {
                    var alias = step["SCAN ".Length..].Split(' ')[0];
                    indexBacked &= !GrowingTables.Contains(tables.GetValueOrDefault(alias, alias));
                }
            }
        }
        return (plan, indexBacked);
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"(\\w+)\" AS \"(\\w+)\"")]
    private static partial System.Text.RegularExpressions.Regex Aliases();
}
