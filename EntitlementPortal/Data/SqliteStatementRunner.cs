using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EntitlementPortal.Data;

/// <summary>
/// Runs one set-based statement again and again on SQLite, binding its parameters by position. Microsoft.Data.Sqlite
/// finds every parameter by name in the statement at each run (a scan of all its names) and turns each GUID and time
/// into two strings and a byte array; for a sweep batch's thousands of values that was a fifth of the writing thread.
/// The parameters are still made by EF's type mappings; only their binding is done here, by Microsoft.Data.Sqlite's
/// rules (GUIDs as upper-case text, times as "yyyy-MM-dd HH:mm:ss.FFFFFFF"). A value of another kind runs the command
/// as usual. Anything but a SQLite connection runs the command as usual.
/// </summary>
internal sealed class SqliteStatementRunner(DbCommand command) : IDisposable
{
    private const string TimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private readonly Dictionary<string, (sqlite3_stmt Statement, int[] Positions)> prepared = [];

    public async Task<int> RunAsync(string text, CancellationToken ct)
    {
        if (command.Connection is not SqliteConnection { Handle: { } connection })
        {
            command.CommandText = text;
            return await command.ExecuteNonQueryAsync(ct);
        }
        var (statement, positions) = Prepare(connection, text);
        var bound = true;
        for (var i = 0; i < command.Parameters.Count && bound; i++)
        {
            bound = Bind(statement, positions[i], (SqliteParameter)command.Parameters[i]);
        }
        if (!bound)
        {
            raw.sqlite3_clear_bindings(statement);
            command.CommandText = text;
            return await command.ExecuteNonQueryAsync(ct);
        }
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, connection);
        }
        return raw.sqlite3_changes(connection);
    }

    private (sqlite3_stmt, int[]) Prepare(sqlite3 connection, string text)
    {
        if (!prepared.TryGetValue(text, out var entry))
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(connection, text, out var statement), connection);
            // Every chunk of one size names its parameters in the same order.
            var positions = command.Parameters.Cast<DbParameter>().Select(p => raw.sqlite3_bind_parameter_index(statement, p.ParameterName)).ToArray();
            entry = prepared[text] = (statement, positions);
        }
        return entry;
    }

    /// <summary>Binds as Microsoft.Data.Sqlite's SqliteValueBinder does, for the kinds of value the portal's mappings make.</summary>
    private static bool Bind(sqlite3_stmt statement, int position, SqliteParameter parameter)
    {
        var value = parameter.Value;
        var result = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, position),
            string text => raw.sqlite3_bind_text16(statement, position, text),
            Guid guid when parameter.SqliteType == SqliteType.Text => BindGuid(statement, position, guid),
            DateTime time when parameter.SqliteType == SqliteType.Text => BindTime(statement, position, time),
            bool flag => raw.sqlite3_bind_int64(statement, position, flag ? 1 : 0),
            int number => raw.sqlite3_bind_int64(statement, position, number),
            long number => raw.sqlite3_bind_int64(statement, position, number),
            double number when !double.IsNaN(number) => raw.sqlite3_bind_double(statement, position, number),
            byte[] bytes => raw.sqlite3_bind_blob(statement, position, bytes),
            _ => -1,
        };
        return result == raw.SQLITE_OK;
    }

    private static int BindGuid(sqlite3_stmt statement, int position, Guid guid)
    {
        Span<char> text = stackalloc char[36];
        guid.TryFormat(text, out _);
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }
        return raw.sqlite3_bind_text16(statement, position, text);
    }

    private static int BindTime(sqlite3_stmt statement, int position, DateTime time)
    {
        Span<char> text = stackalloc char[32];
        time.TryFormat(text, out var length, TimeFormat, CultureInfo.InvariantCulture);
        return raw.sqlite3_bind_text16(statement, position, text[..length]);
    }

    public void Dispose()
    {
        foreach (var (statement, _) in prepared.Values)
        {
            statement.Dispose();
        }
    }
}
