using System.Collections.Concurrent;
using System.Data.Common;
using System.Numerics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;

namespace EntitlementPortal.Data;

/// <summary>
/// For a unit of work that changes many rows alike (a sweep batch): plain rows are written with one statement per table
/// and kind of change (a multi-row INSERT, UPDATE ... FROM (VALUES ...), DELETE ... WHERE (key) IN (VALUES ...)) instead
/// of EF's statement per row on SQLite. Rows with owned parts are left to SaveChanges. It runs as the last
/// SaveChanges interceptor, inside the unit's transaction, so the other interceptors still see the whole unit of work;
/// values go through EF's own type mappings, so the rows are the ones EF would write. Rows written this way leave the
/// change tracker, and when nothing is left for SaveChanges the tracker is cleared: the unit of work ends with the save.
/// Rows appended untracked (<see cref="PortalDbContext.Append"/>) go down a statement per table in every unit.
/// </summary>
public sealed class SetBasedWrites : SaveChangesInterceptor
{
    public static readonly SetBasedWrites Instance = new();

    private static readonly ConcurrentDictionary<IEntityType, TablePlan> Plans = new();

    private const int MaxRows = 500;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PortalDbContext db)
        {
            await (db.WritesSetBased ? WriteAsync(db, cancellationToken) : WriteAppendedAsync(db, cancellationToken));
        }
        return result;
    }

    private static async Task WriteAsync(PortalDbContext db, CancellationToken ct)
    {
        // Rows are read through IUpdateEntry, as EF's own update pipeline reads them: a PropertyEntry for each value costs more
        // than the statement.
#pragma warning disable EF1001
        var changed = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Entry: e, Row: (IUpdateEntry)e.GetInfrastructure())).ToList();
#pragma warning restore EF1001
        var plans = changed.Select(c => c.Entry.Metadata).Distinct().ToDictionary(t => t, t => PlanOf(db, t));
        // A row whose key the database generates gets no key back: nothing may refer to it. A row that stays tracked must
        // also need nothing back: EF reads generated values into the rows it writes.
        var staysTracked = db.SavedRowsStayTracked;
        var writable = changed.Where(c => plans[c.Entry.Metadata] is var plan
            && plan.IsPlain
            && (c.Row.EntityState != EntityState.Added || !plan.IsReferenced || !plan.Key.Any(c.Row.HasTemporaryValue))
            && (!staysTracked || plan.NeedsNothingBack(c.Row))).ToList();
        // A row that points at a row only SaveChanges can write must wait for it, and so must rows that point at it in turn.
        var handled = writable;
        var leftToSaveChanges = new HashSet<IEntityType>();
        while (true)
        {
            var written = handled.Select(c => c.Entry).ToHashSet();
            leftToSaveChanges.UnionWith(changed.Where(c => !c.Entry.Metadata.IsOwned() && !written.Contains(c.Entry)).Select(c => c.Entry.Metadata));
            var stillHandled = handled.Where(c => !plans[c.Entry.Metadata].Principals.Any(leftToSaveChanges.Contains)).ToList();
            if (stillHandled.Count == handled.Count)
            {
                break;
            }
            handled = stillHandled;
        }

        // Principals' rows go in before their dependents' and out after them, as EF orders its own statements.
        foreach (var table in handled.Where(c => c.Row.EntityState == EntityState.Deleted).GroupBy(c => c.Entry.Metadata).OrderByDescending(t => plans[t.Key].Depth))
        {
            var plan = plans[table.Key];
            await RunAsync(db, plan, (EntityState.Deleted, 0), table.ToList(), plan.KeyAndTokens.Count,
                (sql, rows) => sql.Append($"DELETE FROM {plan.Table} WHERE ({plan.Columns(plan.KeyAndTokens)}) IN ({rows})"),
                (row, values) => TablePlan.AddValues(plan.KeyAndTokens, row.Row.GetOriginalValue, values), ct);
        }
        foreach (var table in handled.Where(c => c.Row.EntityState == EntityState.Modified).GroupBy(c => (c.Entry.Metadata, Set: plans[c.Entry.Metadata].Modified(c.Row))))
        {
            var plan = plans[table.Key.Metadata];
            var key = plan.KeyAndTokens;
            var set = plan.Subset(table.Key.Set);
            await RunAsync(db, plan, (EntityState.Modified, table.Key.Set), table.ToList(), key.Count + set.Count, (sql, rows) => sql
                    .Append($"UPDATE {plan.Table} SET ")
                    .AppendJoin(", ", set.Select((p, i) => $"{plan.Column(p)} = v.column{key.Count + i + 1}"))
                    .Append($" FROM ({rows}) AS v WHERE ")
                    .AppendJoin(" AND ", key.Select((p, i) => $"{plan.Table}.{plan.Column(p)} = v.column{i + 1}")),
                (row, values) =>
                {
                    TablePlan.AddValues(key, row.Row.GetOriginalValue, values);
                    TablePlan.AddValues(set, row.Row.GetCurrentValue, values);
                }, ct);
        }
        foreach (var table in handled.Where(c => c.Row.EntityState == EntityState.Added).GroupBy(c => (c.Entry.Metadata, Columns: plans[c.Entry.Metadata].Inserted(c.Row)))
            .OrderBy(t => plans[t.Key.Metadata].Depth))
        {
            var plan = plans[table.Key.Metadata];
            var columns = plan.Subset(table.Key.Columns);
            await RunAsync(db, plan, (EntityState.Added, table.Key.Columns), table.ToList(), columns.Count,
                (sql, rows) => sql.Append($"INSERT INTO {plan.Table} ({plan.Columns(columns)}) {rows}"),
                (row, values) => TablePlan.AddValues(columns, row.Row.GetCurrentValue, values), ct);
        }
        await WriteAppendedAsync(db, ct);
        if (staysTracked)
        {
            // As EF's own save accepts what it wrote; what is left is EF's to write next.
#pragma warning disable EF1001
            foreach (var (_, row) in handled)
            {
                var entry = (InternalEntityEntry)row;
                if (entry.EntityState == EntityState.Deleted)
                {
                    entry.SetEntityState(EntityState.Detached);
                }
                else
                {
                    entry.AcceptChanges();
                }
            }
#pragma warning restore EF1001
            return;
        }
        if (handled.Count == changed.Count)
        {
            // Nothing is left for SaveChanges; clearing is far cheaper than detaching row by row with its fix-ups.
            db.ChangeTracker.Clear();
            return;
        }
        foreach (var (entry, _) in handled)
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>The unit's appended rows (<see cref="PortalDbContext.Append"/>): nothing refers to them, so they may go first.</summary>
    private static async Task WriteAppendedAsync(PortalDbContext db, CancellationToken ct)
    {
        foreach (var table in db.Appended.Select(row => (Row: row, Plan: PlanOf(db, db.Model.FindEntityType(row.GetType())!)))
            .GroupBy(r => (r.Plan, Columns: r.Plan.Inserted(r.Row)), r => r.Row))
        {
            var plan = table.Key.Plan;
            var columns = plan.Subset(table.Key.Columns);
            await RunAsync(db, plan, (EntityState.Added, table.Key.Columns), table.ToList(), columns.Count,
                (sql, rows) => sql.Append($"INSERT INTO {plan.Table} ({plan.Columns(columns)}) {rows}"),
                (row, values) => TablePlan.AddValues(columns, p => p.GetGetter().GetClrValueUsingContainingEntity(row), values), ct);
        }
        db.Appended.Clear();
    }

    /// <summary>Runs the statement over the rows in chunks; every row must be affected, as SaveChanges requires.</summary>
    private static async Task RunAsync<TRow>(PortalDbContext db, TablePlan plan, (EntityState State, ulong Columns) shape, List<TRow> rows,
        int columnsPerRow, Action<StringBuilder, string> statement, Action<TRow, List<(RelationalTypeMapping Mapping, object? Value, bool Nullable)>> values,
        CancellationToken ct)
    {
        var table = rows.Select(entry =>
        {
            var row = new List<(RelationalTypeMapping Mapping, object? Value, bool Nullable)>(columnsPerRow);
            values(entry, row);
            return row;
        }).ToList();
        // A value every row shares (the batch's time, activity, package, the system as actor) is bound once and named by
        // each row: binding, not the statement, is most of Microsoft.Data.Sqlite's cost.
        var shared = SharedColumns(table, columnsPerRow);
        var sharedCount = BitOperations.PopCount(shared);
        // One statement for every chunk of the same size: prepared once and run again with new values.
        await using var runner = new SetBasedStatement(db);
        var rowsPerStatement = Math.Max(1, Math.Min(MaxRows, (runner.MaxParameters - sharedCount) / Math.Max(1, columnsPerRow - sharedCount)));
        // Sized to the largest chunk: a person's unit appends a row or two to each table.
        var parameters = new List<SetBasedStatement.Parameter>(sharedCount + Math.Min(table.Count, rowsPerStatement) * (columnsPerRow - sharedCount));
        foreach (var chunk in table.Chunk(rowsPerStatement))
        {
            parameters.Clear();
            for (var column = 0; column < columnsPerRow; column++)
            {
                if (IsShared(shared, column))
                {
                    var (mapping, value, nullable) = chunk[0][column];
                    parameters.Add(new(SharedName(column), mapping, value, nullable));
                }
            }
            var varying = 0;
            foreach (var row in chunk)
            {
                for (var column = 0; column < columnsPerRow; column++)
                {
                    if (!IsShared(shared, column))
                    {
                        var (mapping, value, nullable) = row[column];
                        parameters.Add(new(ParameterName(varying++), mapping, value, nullable));
                    }
                }
            }
            var text = plan.Statements.GetOrAdd((shape.State, shape.Columns, chunk.Length, shared), _ =>
            {
                var sql = new StringBuilder();
                statement(sql, Values(chunk.Length, columnsPerRow, shared));
                return sql.ToString();
            });
            int affected;
            try
            {
                affected = await runner.RunAsync(text, parameters, ct);
            }
            catch (DbException ex)
            {
                // As EF reports a failed save: callers and retries look for its exception, the database's inside.
                throw new DbUpdateException($"Writing rows of {plan.Type.GetTableName()} failed: {ex.Message}", ex);
            }
            if (affected != chunk.Length)
            {
                throw new DbUpdateConcurrencyException($"{affected} of {chunk.Length} rows of {plan.Type.GetTableName()} were written; another change came first.");
            }
        }
    }

    /// <summary>
    /// Whether a new row of the type may go down without the change tracker (<see cref="PortalDbContext.Append"/>): a plain
    /// row with no foreign key, which nothing refers to, with all its values on the object.
    /// </summary>
    public static bool CanAppend(PortalDbContext db, Type type) => db.Model.FindEntityType(type) is { } entityType && PlanOf(db, entityType).Appendable;

    private static TablePlan PlanOf(PortalDbContext db, IEntityType type) =>
        Plans.TryGetValue(type, out var plan) ? plan : Plans.GetOrAdd(type, t => new TablePlan(t, db.GetService<ISqlGenerationHelper>()));

    /// <summary>A bit for each column whose value is the same in every row (none past 64 columns).</summary>
    private static ulong SharedColumns(List<List<(RelationalTypeMapping Mapping, object? Value, bool Nullable)>> table, int columnsPerRow)
    {
        if (columnsPerRow > 64 || table.Count < 2)
        {
            return 0;
        }
        var shared = columnsPerRow == 64 ? ulong.MaxValue : (1UL << columnsPerRow) - 1;
        var first = table[0];
        foreach (var row in table.Skip(1))
        {
            for (var column = 0; column < columnsPerRow; column++)
            {
                if (IsShared(shared, column) && !SameValue(first[column].Value, row[column].Value))
                {
                    shared &= ~(1UL << column);
                }
            }
        }
        return shared;
    }

    // DateTime.Equals ignores the kind, which the UTC converter does not.
    private static bool SameValue(object? a, object? b) =>
        a is DateTime x && b is DateTime y ? x == y && x.Kind == y.Kind : Equals(a, b);

    private static bool IsShared(ulong shared, int column) => (shared & (1UL << column)) != 0;

    private static string Values(int rows, int columnsPerRow, ulong shared)
    {
        var varying = 0;
        return "VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(_ =>
            "(" + string.Join(", ", Enumerable.Range(0, columnsPerRow).Select(column => IsShared(shared, column) ? SharedName(column) : ParameterName(varying++))) + ")"));
    }

    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, SetBasedStatement.MostParameters + 64).Select(i => $"@p{i}")];
    private static readonly string[] SharedNames = [.. Enumerable.Range(0, 64).Select(i => $"@s{i}")];

    private static string ParameterName(int index) => index < ParameterNames.Length ? ParameterNames[index] : $"@p{index}";

    private static string SharedName(int column) => SharedNames[column];

    /// <summary>What set-based writing needs to know of an entity type, worked out once: the model never changes.</summary>
    private sealed class TablePlan
    {
        public TablePlan(IEntityType type, ISqlGenerationHelper helper)
        {
            Type = type;
            this.helper = helper;
            properties = [.. type.GetProperties()];
            // Columns are chosen by a bit each.
            IsPlain = HasOwnTable(type) && !type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) && properties.Count <= 64;
            Principals = [.. type.GetForeignKeys().Select(fk => fk.PrincipalEntityType)];
            IsReferenced = type.GetReferencingForeignKeys().Any(fk => !fk.IsOwnership);
            Key = type.FindPrimaryKey()?.Properties ?? [];
            KeyAndTokens = [.. Key, .. type.GetProperties().Where(p => p.IsConcurrencyToken && !p.IsPrimaryKey())];
            Appendable = IsPlain && !IsReferenced && Principals.Count == 0 && !properties.Any(p => p.IsShadowProperty());
            Table = IsPlain ? helper.DelimitIdentifier(type.GetTableName()!, type.GetSchema()) : "";
            allColumns = Mask(_ => true);
            generatedOnUpdate = properties.Any(p => (p.ValueGenerated & ValueGenerated.OnUpdate) != 0);
            Depth = DepthOf(type, []);
        }

        private readonly ulong allColumns;
        private readonly bool generatedOnUpdate;

        /// <summary>How far the type is from a table that points at no other: principals come first.</summary>
        public int Depth { get; }

        private static int DepthOf(IEntityType type, HashSet<IEntityType> visiting) =>
            visiting.Add(type)
                ? type.GetForeignKeys().Select(fk => fk.PrincipalEntityType).Where(p => p != type && !visiting.Contains(p))
                    .Select(p => DepthOf(p, [.. visiting]) + 1).DefaultIfEmpty(0).Max()
                : 0;

        /// <summary>Whether the row's write leaves no value for the database to generate and EF to read back.</summary>
        public bool NeedsNothingBack(IUpdateEntry row) => row.EntityState switch
        {
            EntityState.Added => Inserted(row) == allColumns,
            EntityState.Modified => !generatedOnUpdate,
            _ => true,
        };

        private readonly ISqlGenerationHelper helper;
        private readonly List<IProperty> properties;

        public IEntityType Type { get; }
        /// <summary>A row of its own table without owned parts: written set-based. Any other is left to SaveChanges.</summary>
        public bool IsPlain { get; }
        public IReadOnlyList<IEntityType> Principals { get; }
        public bool IsReferenced { get; }
        public bool Appendable { get; }
        public IReadOnlyList<IProperty> Key { get; }
        public List<IProperty> KeyAndTokens { get; }
        public string Table { get; }

        /// <summary>The text of each statement, by kind of change, columns, number of rows and the columns all rows share.</summary>
        public ConcurrentDictionary<(EntityState, ulong, int, ulong), string> Statements { get; } = new();

        /// <summary>The columns a row changed, a bit for each.</summary>
        public ulong Modified(IUpdateEntry row) => Mask(p => !p.IsPrimaryKey() && row.IsModified(p));

        /// <summary>What EF would insert: not a value the database generates on insert (an identity, a default) while none is set.</summary>
        public ulong Inserted(IUpdateEntry row) => Mask(p => (p.ValueGenerated & ValueGenerated.OnAdd) == 0
            || !(row.HasTemporaryValue(p) || Equals(row.GetCurrentValue(p), p.Sentinel)));

        /// <summary>The same for a row outside the change tracker: a generated value is left out while the object holds none.</summary>
        public ulong Inserted(object row) => Mask(p => (p.ValueGenerated & ValueGenerated.OnAdd) == 0 || !p.GetGetter().HasSentinelValueUsingContainingEntity(row));

        private ulong Mask(Func<IProperty, bool> included)
        {
            var mask = 0UL;
            for (var i = 0; i < properties.Count; i++)
            {
                if (included(properties[i]))
                {
                    mask |= 1UL << i;
                }
            }
            return mask;
        }

        public List<IProperty> Subset(ulong mask) => [.. properties.Where((_, i) => (mask & (1UL << i)) != 0)];

        /// <summary>Each column's value as the mapping binds it: original, current, or read off an untracked row.</summary>
        public static void AddValues(List<IProperty> columns, Func<IProperty, object?> value, List<(RelationalTypeMapping, object?, bool)> values)
        {
            foreach (var p in columns)
            {
                values.Add((p.GetRelationalTypeMapping(), value(p), p.IsNullable));
            }
        }

        public string Column(IProperty property) =>
            helper.DelimitIdentifier(property.GetColumnName(StoreObjectIdentifier.Table(Type.GetTableName()!, Type.GetSchema()))!);

        public string Columns(IEnumerable<IProperty> columns) => string.Join(", ", columns.Select(Column));
    }

    private static bool HasOwnTable(IEntityType type) =>
        !type.IsOwned() && type.BaseType is null && !type.GetDerivedTypes().Any() && type.GetTableName() is not null && type.GetViewName() is null
        && !type.GetComplexProperties().Any();
}
