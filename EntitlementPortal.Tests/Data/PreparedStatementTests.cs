using System.Data.Common;
using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

/// <summary>
/// On SQLite the store's units of work run on open connections that keep the statements they prepared
/// (<see cref="PreparedSqliteConnection"/>, <see cref="PreparedSqliteConnections"/>).
/// </summary>
public sealed class PreparedStatementTests
{
    [Fact]
    public async Task A_statement_a_unit_runs_again_on_the_connection_the_last_unit_gave_back_is_not_prepared_again()
    {
        await using var portal = await TestPortal.CreateAsync();
        var store = portal.Get<PortalStore>();
        Task<(SqliteConnection Connection, int Users)> ReadAsync() => store.ReadAsync(Actor.System, async (db, _) =>
            ((SqliteConnection)db.Database.GetDbConnection(), await db.Users.CountAsync()));
        var first = await ReadAsync();
        // SQLite asks the authorizer while it prepares a statement, and only then. Setting one expires what was prepared,
        // so the next unit prepares its statement once more.
        var prepared = 0;
        SQLitePCL.raw.sqlite3_set_authorizer(first.Connection.Handle, new SQLitePCL.delegate_authorizer((_, _, _, _, _, _) => { prepared++; return SQLitePCL.raw.SQLITE_OK; }), null);
        var second = await ReadAsync();
        var preparedBySecond = prepared;

        var third = await ReadAsync();

        Assert.IsType<PreparedSqliteConnection>(first.Connection);
        Assert.Same(first.Connection, second.Connection);
        Assert.Same(first.Connection, third.Connection);
        Assert.True(preparedBySecond > 0);
        Assert.Equal(preparedBySecond, prepared);
        Assert.Equal(1, third.Users);
    }

    [Fact]
    public async Task A_set_based_insert_a_change_runs_again_on_the_writers_connection_is_not_prepared_again()
    {
        await using var portal = await TestPortal.CreateAsync();
        var store = portal.Get<PortalStore>();
        Task<SqliteConnection> AuditAsync(string activity) => store.WriteAsync(Actor.System, c =>
        {
            c.Audit(AuditCategory.EntitlementManagement, activity, "Test", 1, "x");
            return Task.FromResult((SqliteConnection)c.Db.Database.GetDbConnection());
        });
        var connection = await AuditAsync("First");
        var auditInsertsPrepared = 0;
        SQLitePCL.raw.sqlite3_set_authorizer(connection.Handle, new SQLitePCL.delegate_authorizer((_, action, table, _, _, _) =>
        {
            if (action == SQLitePCL.raw.SQLITE_INSERT && table.utf8_to_string() == "AuditEvents")
            {
                auditInsertsPrepared++;
            }
            return SQLitePCL.raw.SQLITE_OK;
        }), null);

        Assert.Same(connection, await AuditAsync("Second"));
        await AuditAsync("Third");

        // Once, as the authorizer set expired it; not again for the third.
        Assert.Equal(1, auditInsertsPrepared);
        Assert.Single(await portal.AuditAsync("Third"));
    }

    [Fact]
    public async Task A_context_from_the_pool_after_a_unit_gave_its_connection_back_reads_the_portal_database()
    {
        await using var portal = await TestPortal.CreateAsync();
        await portal.Get<PortalStore>().ReadAsync(Actor.System, (db, _) => db.Users.CountAsync());

        // The pool hands out the context the unit used: it must connect to the database again on its own.
        await using var db = portal.NewDb();
        Assert.IsNotType<PreparedSqliteConnection>(db.Database.GetDbConnection());
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Two_commands_of_the_same_text_reading_at_once_on_one_connection_each_read_their_own_rows()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var connection = await OpenAsync(portal);
        await using var first = Elements(connection, "[1, 2]");
        await using var second = Elements(connection, "[3]");

        await using var firstReader = await first.ExecuteReaderAsync();
        Assert.True(await firstReader.ReadAsync());
        await using (var secondReader = await second.ExecuteReaderAsync())
        {
            Assert.True(await secondReader.ReadAsync());
            Assert.Equal(3, secondReader.GetInt32(0));
            Assert.False(await secondReader.ReadAsync());
        }
        Assert.Equal(1, firstReader.GetInt32(0));
        Assert.True(await firstReader.ReadAsync());
        Assert.Equal(2, firstReader.GetInt32(0));
    }

    [Fact]
    public async Task A_connection_keeps_at_most_its_limit_of_statements_and_still_runs_every_one()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var connection = await OpenAsync(portal);
        connection.Handle!.enable_sqlite3_next_stmt(true);

        for (var i = 0; i <= PreparedSqliteConnection.MaxKept * 2; i++)
        {
            Assert.Equal((long)i, await SelectAsync(connection, i));
            Assert.InRange(PreparedOn(connection), 1, PreparedSqliteConnection.MaxKept);
        }
    }

    [Fact]
    public async Task A_statement_still_reading_when_the_connection_starts_over_reads_on()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var connection = await OpenAsync(portal);
        await using var reading = Elements(connection, "[1, 2]");
        await using var reader = await reading.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        for (var i = 0; i <= PreparedSqliteConnection.MaxKept; i++)
        {
            await SelectAsync(connection, i);
        }

        Assert.True(await reader.ReadAsync());
        Assert.Equal(2, reader.GetInt32(0));
    }

    [Fact]
    public async Task A_kept_statement_that_failed_runs_again_with_other_values()
    {
        await using var portal = await TestPortal.CreateAsync();
        await using var connection = await OpenAsync(portal);
        await using (var create = Command(connection, "CREATE TEMP TABLE kept (id INTEGER PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        async Task<int> InsertAsync(int id)
        {
            await using var insert = Command(connection, "INSERT INTO kept (id) VALUES (@id)", new SqliteParameter("@id", id));
            return await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await InsertAsync(1));
        await Assert.ThrowsAsync<SqliteException>(() => InsertAsync(1));
        Assert.Equal(1, await InsertAsync(2));
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_is_closed_and_not_lent_again()
    {
        await using var portal = await TestPortal.CreateAsync();
        using var connections = new PreparedSqliteConnections(portal.ConnectionString);
        var db = portal.NewDb();
        connections.Lend(db);
        var abandoned = (SqliteConnection)db.Database.GetDbConnection();
        await abandoned.BeginTransactionAsync();

        await db.DisposeAsync();

        Assert.Equal(System.Data.ConnectionState.Closed, abandoned.State);
        await using var next = portal.NewDb();
        connections.Lend(next);
        Assert.NotSame(abandoned, next.Database.GetDbConnection());
        Assert.Equal(1, await next.Users.CountAsync());
    }

    private static async Task<PreparedSqliteConnection> OpenAsync(TestPortal portal)
    {
        var connection = new PreparedSqliteConnection(portal.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A command as EF makes it: through <see cref="DbConnection.CreateCommand"/>.</summary>
    private static DbCommand Command(SqliteConnection connection, string text, params SqliteParameter[] parameters)
    {
        var command = ((DbConnection)connection).CreateCommand();
        command.CommandText = text;
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>The elements of a JSON list, one row each.</summary>
    private static DbCommand Elements(SqliteConnection connection, string list) =>
        Command(connection, "SELECT value FROM json_each(@list)", new SqliteParameter("@list", list));

    /// <summary>A statement of its own text for each value.</summary>
    private static async Task<object?> SelectAsync(SqliteConnection connection, int value)
    {
        await using var command = Command(connection, $"SELECT {value}");
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The statements SQLite holds prepared on the connection (tracked from its opening).</summary>
    private static int PreparedOn(SqliteConnection connection)
    {
        var count = 0;
        for (var statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle, null); statement is not null && !statement.IsInvalid;
             statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            count++;
        }
        return count;
    }
}
