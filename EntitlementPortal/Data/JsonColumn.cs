using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EntitlementPortal.Data;

/// <summary>
/// A value stored whole as one JSON document in its column (jsonb on PostgreSQL), for parts that are replaced, never
/// changed in place: a policy's and a request's stages, questions or answers, and expiration. As owned entities EF tracked
/// every stage, approver and answer of every row loaded and checked them at each save, a fifth of what a request
/// allocated. The document is the one EF wrote for them (property names, enums by name), so rows written either way read
/// alike.
/// </summary>
public static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter(), new UtcTimes() } };

    /// <remarks>
    /// Compared by reference, so a change must replace the value (as <c>AssignmentPolicy.Apply</c> does). A deep
    /// comparison would serialize or walk every one at each save.
    /// </remarks>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class
    {
        property.HasConversion(new Converter<T>(), new ValueComparer<T>((a, b) => ReferenceEquals(a, b), v => RuntimeHelpers.GetHashCode(v), v => v))
            .IsRequired(false);
        return property;
    }

    /// <summary>Whether the property is stored this way: PostgreSQL gives its column the jsonb type.</summary>
    public static bool IsJsonColumn(this IReadOnlyProperty property) => property.GetValueConverter() is IJsonColumnConverter;

    private interface IJsonColumnConverter;

    private sealed class Converter<T>() : ValueConverter<T, string>(
        v => JsonSerializer.Serialize(v, Options), v => JsonSerializer.Deserialize<T>(v, Options)!), IJsonColumnConverter;

    // Every time is UTC, as in the columns. EF wrote them on SQLite as "2027-03-04 05:06:07", without a zone.
    private sealed class UtcTimes : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime());
    }
}
