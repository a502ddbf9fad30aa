using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EntitlementPortal.Data;

/// <summary>
/// A SQLite connection that keeps the statements it prepared, to run them again without SQLite parsing and planning
/// them anew. EF makes a command for every statement and disposes it, and Microsoft.Data.Sqlite prepares each command's
/// SQL when it runs: a sixth of a request's CPU time went to sqlite3_prepare_v2. Here each command EF makes runs the
/// statement this connection kept for its text. The statements live as long as the connection stays open, so it is
/// held open between units of work (<see cref="PreparedSqliteConnections"/>).
/// </summary>
public sealed class PreparedSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    // Sweeps' set-based statements vary with their row counts; starting over when full keeps what repeats.
    internal const int MaxKept = 128;

    private readonly Dictionary<string, KeptStatement> kept = new(StringComparer.Ordinal);

    protected override DbCommand CreateDbCommand() => new KeptStatementCommand(this);

    /// <summary>The statement kept for the SQL, or a new one kept from now on; null while the kept one is in use.</summary>
    private KeptStatement? Take(string sql)
    {
        if (kept.TryGetValue(sql, out var statement))
        {
            return statement.Take() ? statement : null;
        }
        if (kept.Count >= MaxKept)
        {
            DisposeKept(inUseToo: false);
        }
        statement = new KeptStatement(new SqliteCommand(sql, this));
        kept.Add(sql, statement);
        statement.Take();
        return statement;
    }

    internal bool InTransaction => Transaction is not null;

    private readonly Dictionary<string, (sqlite3_stmt Statement, int[] Positions)> keptSetBased = new(StringComparer.Ordinal);

    /// <summary>
    /// A set-based statement (<see cref="SetBasedStatement"/>) kept prepared with the positions of its parameters, worked out
    /// by <paramref name="positions"/> when it is first prepared. It is run to its end and reset each time, so none is in
    /// use between calls.
    /// </summary>
    internal (sqlite3_stmt Statement, int[] Positions) KeepSetBased(string sql, Func<sqlite3_stmt, int[]> positions)
    {
        if (keptSetBased.TryGetValue(sql, out var entry))
        {
            return entry;
        }
        if (keptSetBased.Count >= MaxKept)
        {
            DisposeKeptSetBased();
        }
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(Handle, sql, out var statement), Handle);
        return keptSetBased[sql] = (statement, positions(statement));
    }

    private void DisposeKeptSetBased()
    {
        foreach (var (statement, _) in keptSetBased.Values)
        {
            statement.Dispose();
        }
        keptSetBased.Clear();
    }

    // Closing disposes every command of the connection, so what was kept goes with it.
    public override void Close()
    {
        DisposeKept(inUseToo: true);
        DisposeKeptSetBased();
        base.Close();
    }

    private void DisposeKept(bool inUseToo)
    {
        foreach (var (sql, statement) in kept)
        {
            // One still reading stays: its reader would go with it.
            if (inUseToo || !statement.InUse)
            {
                statement.Command.Dispose();
                kept.Remove(sql);
            }
        }
    }

    private sealed class KeptStatement(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;

        public bool InUse { get; private set; }

        public bool Take() => !InUse && (InUse = true);

        public void Release()
        {
            Command.Parameters.Clear();
            Command.Transaction = null;
            InUse = false;
        }
    }

    /// <summary>
    /// What EF sets up and runs: its text, parameters and transaction go to the connection's kept statement for the text
    /// when it runs, and disposing it hands the statement back prepared.
    /// </summary>
    private sealed class KeptStatementCommand(PreparedSqliteConnection connection) : DbCommand
    {
        private readonly SqliteParameterCollection parameters = new SqliteCommand().Parameters;
        private DbConnection? commandConnection = connection;
        private int? timeout;
        private KeptStatement? running;
        private SqliteCommand? runningAlone;

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get => timeout ?? connection.DefaultTimeout; set => timeout = value; }
        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new ArgumentException("Only text commands run on SQLite.", nameof(value));
                }
            }
        }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => commandConnection; set => commandConnection = value; }
        protected override DbParameterCollection DbParameterCollection => parameters;
        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Runnable().ExecuteReader(behavior);

        public override int ExecuteNonQuery() => Runnable().ExecuteNonQuery();

        public override object? ExecuteScalar() => Runnable().ExecuteScalar();

        private SqliteCommand Runnable()
        {
            ReleaseRunning();
            running = commandConnection == connection ? connection.Take(CommandText) : null;
            // On another connection, or while the kept statement runs for another command: this once, one of its own.
            var command = running?.Command ?? (runningAlone = new SqliteCommand(CommandText, (SqliteConnection?)commandConnection));
            command.Transaction = (SqliteTransaction?)DbTransaction;
            command.CommandTimeout = CommandTimeout;
            foreach (SqliteParameter parameter in parameters)
            {
                command.Parameters.Add(parameter);
            }
            return command;
        }

        private void ReleaseRunning()
        {
            running?.Release();
            running = null;
            runningAlone?.Dispose();
            runningAlone = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                ReleaseRunning();
            }
            base.Dispose(disposing);
        }
    }
}
