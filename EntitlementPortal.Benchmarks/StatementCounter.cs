using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Benchmarks;

/// <summary>
/// Counts every statement SQLite runs on the portal's connections once <see cref="Counting"/> is on, BEGIN and COMMIT
/// and the portal's own set-based statements included: a figure that does not drift with the machine's speed. SQLite's
/// trace hook is set on a connection when it is first used while counting (opened, or, for the store's connections held
/// open, when a transaction or a command starts on it), so the timed runs go untraced.
/// </summary>
public sealed class StatementCounter : DbConnectionInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> traced = [];
    private long statements;

    public bool Counting { get; set; }

    public long Statements => Interlocked.Read(ref statements);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionOpened(connection, eventData);
        return Task.CompletedTask;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Trace(connection);

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Trace(connection);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Trace(command.Connection);
        return ValueTask.FromResult(result);
    }

    private void Trace(DbConnection? connection)
    {
        if (Counting && connection is SqliteConnection { Handle: { } handle } && !traced.TryGetValue(handle, out _))
        {
            SQLitePCL.raw.sqlite3_trace(handle, new SQLitePCL.delegate_trace((_, _) => Count()), null);
            traced.Add(handle, this);
        }
    }

    private void Count()
    {
        if (Counting)
        {
            Interlocked.Increment(ref statements);
        }
    }
}
