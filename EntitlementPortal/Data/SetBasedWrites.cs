using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EntitlementPortal.Data;

/// <summary>
/// For a unit of work that changes many rows alike (a sweep batch): plain rows are written with one statement per table
/// and kind of change (a multi-row INSERT, UPDATE ... FROM (VALUES ...), DELETE ... WHERE (key) IN (VALUES ...)) instead
/// of EF's statement per row on SQLite. Rows with owned or JSON parts are left to SaveChanges. It runs as the last
/// SaveChanges interceptor, inside the unit's transaction, so the other interceptors still see the whole unit of work;
/// values go through EF's own type mappings, so the rows are the ones EF would write.
/// </summary>
public sealed class SetBasedWrites : SaveChangesInterceptor
{
    public static readonly SetBasedWrites Instance = new();

    // Microsoft.Data.Sqlite looks each parameter up by name in the statement, so binding cost grows with the square of
    // the parameter count: statements of about a thousand parameters are fastest.
    private const int MaxParameters = 100;
    private const int MaxRows = 500;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PortalDbContext { WritesSetBased: true } db)
        {
            await WriteAsync(db, cancellationToken);
        }
        return result;
    }

    private static async Task WriteAsync(PortalDbContext db, CancellationToken ct)
    {
        var changed = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        var types = changed.Select(e => e.Metadata).Distinct().ToList();
        // A plain row that points at a row only SaveChanges can insert must wait for it: leave that table to SaveChanges.
        var leftToSaveChanges = types.Where(t => !IsPlain(t)).ToHashSet();
        var setBased = types.Where(t => IsPlain(t) && !t.GetForeignKeys().Any(fk => leftToSaveChanges.Contains(fk.PrincipalEntityType))).ToHashSet();
        // A row whose key the database generates gets no key back: nothing may refer to it.
        var handled = changed.Where(e => setBased.Contains(e.Metadata)
            && (e.State != EntityState.Added || !e.Metadata.GetReferencingForeignKeys().Any() || !HasTemporaryKey(e))).ToList();
        var helper = db.GetService<ISqlGenerationHelper>();

        foreach (var table in handled.Where(e => e.State == EntityState.Deleted).GroupBy(e => e.Metadata))
        {
            var key = KeyAndTokens(table.Key);
            await RunAsync(db, table.ToList(), key.Count, (sql, rows) =>
                sql.Append($"DELETE FROM {Table(helper, table.Key)} WHERE ({Columns(helper, table.Key, key)}) IN ({rows})"),
                entry => key.Select(p => (p, entry.Property(p).OriginalValue)), ct);
        }
        foreach (var table in handled.Where(e => e.State == EntityState.Modified).GroupBy(e => (e.Metadata, Set: string.Join(',', Modified(e).Select(p => p.Name)))))
        {
            var type = table.Key.Metadata;
            var key = KeyAndTokens(type);
            var set = Modified(table.First()).ToList();
            var name = Table(helper, type);
            await RunAsync(db, table.ToList(), key.Count + set.Count, (sql, rows) => sql
                    .Append($"UPDATE {name} SET ")
                    .AppendJoin(", ", set.Select((p, i) => $"{helper.DelimitIdentifier(Column(type, p))} = v.column{key.Count + i + 1}"))
                    .Append($" FROM ({rows}) AS v WHERE ")
                    .AppendJoin(" AND ", key.Select((p, i) => $"{name}.{helper.DelimitIdentifier(Column(type, p))} = v.column{i + 1}")),
                entry => key.Select(p => (p, entry.Property(p).OriginalValue)).Concat(set.Select(p => (p, entry.Property(p).CurrentValue))), ct);
        }
        foreach (var table in handled.Where(e => e.State == EntityState.Added).GroupBy(e => (e.Metadata, Columns: string.Join(',', Inserted(e).Select(p => p.Name)))))
        {
            var type = table.Key.Metadata;
            var columns = Inserted(table.First()).ToList();
            await RunAsync(db, table.ToList(), columns.Count, (sql, rows) =>
                sql.Append($"INSERT INTO {Table(helper, type)} ({Columns(helper, type, columns)}) {rows}"),
                entry => columns.Select(p => (p, entry.Property(p).CurrentValue)), ct);
        }
        foreach (var entry in handled)
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>Runs the statement over the rows in chunks; every row must be affected, as SaveChanges requires.</summary>
    private static async Task RunAsync(PortalDbContext db, List<EntityEntry> entries, int columnsPerRow,
        Action<StringBuilder, string> statement, Func<EntityEntry, IEnumerable<(IProperty Property, object? Value)>> values, CancellationToken ct)
    {
        var rowsPerStatement = Math.Max(1, Math.Min(MaxRows, MaxParameters / Math.Max(1, columnsPerRow)));
        var mappings = new Dictionary<IProperty, RelationalTypeMapping>();
        // One command for every chunk of the same size: the statement is prepared once and run again with new values.
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var chunk in entries.Chunk(rowsPerStatement))
        {
            command.Parameters.Clear();
            var rows = new StringBuilder("VALUES ");
            foreach (var entry in chunk)
            {
                var row = values(entry).Select(v =>
                {
                    if (!mappings.TryGetValue(v.Property, out var mapping))
                    {
                        mappings[v.Property] = mapping = v.Property.GetRelationalTypeMapping();
                    }
                    var parameter = mapping.CreateParameter(command, $"@p{command.Parameters.Count}", v.Value, v.Property.IsNullable);
                    command.Parameters.Add(parameter);
                    return parameter.ParameterName;
                });
                rows.Append(entry == chunk[0] ? "(" : ", (").AppendJoin(", ", row).Append(')');
            }
            var sql = new StringBuilder();
            statement(sql, rows.ToString());
            var text = sql.ToString();
            if (command.CommandText != text)
            {
                command.CommandText = text;
            }
            var affected = await command.ExecuteNonQueryAsync(ct);
            if (affected != chunk.Length)
            {
                throw new DbUpdateConcurrencyException($"{affected} of {chunk.Length} rows of {chunk[0].Metadata.GetTableName()} were written; another change came first.");
            }
        }
    }

    private static bool IsPlain(IEntityType type) =>
        !type.IsOwned() && type.BaseType is null && !type.GetDerivedTypes().Any() && type.GetTableName() is not null && type.GetViewName() is null
        && !type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) && !type.GetComplexProperties().Any();

    private static bool HasTemporaryKey(EntityEntry entry) => entry.Metadata.FindPrimaryKey()!.Properties.Any(p => entry.Property(p).IsTemporary);

    private static List<IProperty> KeyAndTokens(IEntityType type) =>
        [.. type.FindPrimaryKey()!.Properties, .. type.GetProperties().Where(p => p.IsConcurrencyToken && !p.IsPrimaryKey())];

    private static IEnumerable<IProperty> Modified(EntityEntry entry) =>
        entry.Metadata.GetProperties().Where(p => !p.IsPrimaryKey() && entry.Property(p).IsModified);

    /// <summary>What EF would insert: not a value the database generates on insert (an identity, a default) while none is set.</summary>
    private static IEnumerable<IProperty> Inserted(EntityEntry entry) =>
        entry.Metadata.GetProperties().Where(p => !(p.ValueGenerated.HasFlag(ValueGenerated.OnAdd)
            && (entry.Property(p).IsTemporary || Equals(entry.Property(p).CurrentValue, p.Sentinel))));

    private static string Table(ISqlGenerationHelper helper, IEntityType type) => helper.DelimitIdentifier(type.GetTableName()!, type.GetSchema());

    private static string Column(IEntityType type, IProperty property) =>
        property.GetColumnName(StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema()))!;

    private static string Columns(ISqlGenerationHelper helper, IEntityType type, IEnumerable<IProperty> properties) =>
        string.Join(", ", properties.Select(p => helper.DelimitIdentifier(Column(type, p))));
}
