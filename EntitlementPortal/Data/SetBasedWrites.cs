using System.Collections;
using System.Text;
using System.Text.Json;
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
/// of EF's statement per row on SQLite. A new row's JSON parts go down inside it, written as EF writes them; other owned
/// parts, and changes to rows with JSON parts, are left to SaveChanges. It runs as the last
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
        // A plain row that points at a row only SaveChanges can write must wait for it: leave that table to SaveChanges.
        var leftToSaveChanges = types.Where(t => !IsPlain(t) && !HasOnlyJsonParts(t) && !IsJsonPart(t)).ToHashSet();
        bool Waits(IEntityType t) => t.GetForeignKeys().Any(fk => leftToSaveChanges.Contains(fk.PrincipalEntityType));
        // A row whose key the database generates gets no key back: nothing may refer to it.
        var handled = changed.Where(e => !Waits(e.Metadata)
            && (e.State == EntityState.Added ? IsPlain(e.Metadata) || HasOnlyJsonParts(e.Metadata) : IsPlain(e.Metadata))
            && (e.State != EntityState.Added || !e.Metadata.GetReferencingForeignKeys().Any(fk => !fk.IsOwnership) || !HasTemporaryKey(e))).ToList();
        var helper = db.GetService<ISqlGenerationHelper>();

        foreach (var table in handled.Where(e => e.State == EntityState.Deleted).GroupBy(e => e.Metadata))
        {
            var key = KeyAndTokens(table.Key);
            await RunAsync(db, table.ToList(), key.Count, (sql, rows) =>
                sql.Append($"DELETE FROM {Table(helper, table.Key)} WHERE ({Columns(helper, key.Select(p => Column(table.Key, p)))}) IN ({rows})"),
                entry => key.Select(p => Value(p, entry.Property(p).OriginalValue)), ct);
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
                entry => key.Select(p => Value(p, entry.Property(p).OriginalValue)).Concat(set.Select(p => Value(p, entry.Property(p).CurrentValue))), ct);
        }
        foreach (var table in handled.Where(e => e.State == EntityState.Added).GroupBy(e => (e.Metadata, Columns: string.Join(',', Inserted(e).Select(p => p.Name)))))
        {
            var type = table.Key.Metadata;
            var columns = Inserted(table.First()).ToList();
            var parts = JsonParts(db, type);
            await RunAsync(db, table.ToList(), columns.Count + parts.Count, (sql, rows) =>
                sql.Append($"INSERT INTO {Table(helper, type)} ({Columns(helper, columns.Select(p => Column(type, p)).Concat(parts.Select(j => j.Column)))}) {rows}"),
                entry => columns.Select(p => Value(p, entry.Property(p).CurrentValue))
                    .Concat(parts.Select(j => (j.Mapping, (object?)OwnedJson(j.Navigation, entry.Entity), true))), ct);
        }
        foreach (var entry in handled)
        {
            entry.State = EntityState.Detached;
        }
        // The JSON parts of the rows just written went down inside them.
        var written = handled.Where(e => HasOnlyJsonParts(e.Metadata)).SelectMany(e => JsonPartsOf(e.Metadata, e.Entity)).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var part in changed.Where(e => e.State == EntityState.Added && IsJsonPart(e.Metadata) && written.Contains(e.Entity)))
        {
            part.State = EntityState.Detached;
        }
    }

    /// <summary>Runs the statement over the rows in chunks; every row must be affected, as SaveChanges requires.</summary>
    private static async Task RunAsync(PortalDbContext db, List<EntityEntry> entries, int columnsPerRow,
        Action<StringBuilder, string> statement, Func<EntityEntry, IEnumerable<(RelationalTypeMapping Mapping, object? Value, bool Nullable)>> values, CancellationToken ct)
    {
        var rowsPerStatement = Math.Max(1, Math.Min(MaxRows, MaxParameters / Math.Max(1, columnsPerRow)));
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
                    var parameter = v.Mapping.CreateParameter(command, $"@p{command.Parameters.Count}", v.Value, v.Nullable);
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

    private static bool IsPlain(IEntityType type) => HasOwnTable(type) && !type.GetNavigations().Any(n => n.TargetEntityType.IsOwned());

    /// <summary>A row whose only owned parts are JSON columns of its own table.</summary>
    private static bool HasOnlyJsonParts(IEntityType type) =>
        HasOwnTable(type) && type.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
        && type.GetNavigations().Where(n => n.TargetEntityType.IsOwned()).All(n => n.TargetEntityType.IsMappedToJson());

    private static bool HasOwnTable(IEntityType type) =>
        !type.IsOwned() && type.BaseType is null && !type.GetDerivedTypes().Any() && type.GetTableName() is not null && type.GetViewName() is null
        && !type.GetComplexProperties().Any();

    private static bool IsJsonPart(IEntityType type) => type.IsOwned() && type.IsMappedToJson();

    private static List<(INavigation Navigation, string Column, RelationalTypeMapping Mapping)> JsonParts(PortalDbContext db, IEntityType type)
    {
        var table = db.Model.GetRelationalModel().FindTable(type.GetTableName()!, type.GetSchema())!;
        return [.. type.GetNavigations().Where(n => IsJsonPart(n.TargetEntityType)).Select(n =>
        {
            var column = table.FindColumn(n.TargetEntityType.GetContainerColumnName()!)!;
            return (n, column.Name, column.StoreTypeMapping);
        })];
    }

    /// <summary>
    /// An owned part as EF keeps it in its JSON column (NULL when there is none): properties and parts by their JSON names,
    /// values through EF's own JSON writers.
    /// </summary>
    private static string? OwnedJson(INavigation navigation, object owner)
    {
        if (navigation.GetGetter().GetClrValue(owner) is null)
        {
            return null;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteOwned(writer, navigation, owner);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteOwned(Utf8JsonWriter writer, INavigation navigation, object owner)
    {
        var value = navigation.GetGetter().GetClrValue(owner);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (navigation.IsCollection)
        {
            writer.WriteStartArray();
            foreach (var item in (IEnumerable)value)
            {
                WriteObject(writer, navigation.TargetEntityType, item);
            }
            writer.WriteEndArray();
        }
        else
        {
            WriteObject(writer, navigation.TargetEntityType, value);
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, IEntityType type, object instance)
    {
        writer.WriteStartObject();
        foreach (var property in type.GetProperties().Where(p => p.GetJsonPropertyName() is not null))
        {
            writer.WritePropertyName(property.GetJsonPropertyName()!);
            if (property.GetGetter().GetClrValue(instance) is { } value)
            {
                (property.GetJsonValueReaderWriter() ?? property.GetTypeMapping().JsonValueReaderWriter)!.ToJson(writer, value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        foreach (var navigation in type.GetNavigations().Where(n => IsJsonPart(n.TargetEntityType)))
        {
            writer.WritePropertyName(navigation.TargetEntityType.GetJsonPropertyName()!);
            WriteOwned(writer, navigation, instance);
        }
        writer.WriteEndObject();
    }

    /// <summary>Every owned object kept in the JSON columns of a row, at any depth.</summary>
    private static IEnumerable<object> JsonPartsOf(IEntityType type, object instance)
    {
        foreach (var navigation in type.GetNavigations().Where(n => IsJsonPart(n.TargetEntityType)))
        {
            var value = navigation.GetGetter().GetClrValue(instance);
            var items = value is null ? [] : navigation.IsCollection ? ((IEnumerable)value).Cast<object>() : [value];
            foreach (var item in items)
            {
                yield return item;
                foreach (var nested in JsonPartsOf(navigation.TargetEntityType, item))
                {
                    yield return nested;
                }
            }
        }
    }

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

    private static string Columns(ISqlGenerationHelper helper, IEnumerable<string> columns) =>
        string.Join(", ", columns.Select(c => helper.DelimitIdentifier(c)));

    private static (RelationalTypeMapping Mapping, object? Value, bool Nullable) Value(IProperty property, object? value) =>
        (property.GetRelationalTypeMapping(), value, property.IsNullable);
}
