using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ConfigurationVersion : Migration
    {
        // The configuration the cache keeps is read from these (Data/ConfigurationCache.cs); a statement that changes any of
        // them, by whatever means, takes the next value of a sequence, which a rollback does not give back.
        private static readonly string[] ConfigurationTables =
        [
            "Catalogs", "AccessPackages", "AccessPackageResourceRoles", "IncompatibleAccessPackages", "AssignmentPolicies",
            "AssignmentPolicyTargets", "ConnectedOrganizations", "IdentitySources", "ExternalCollaborationSettings",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConfigurationVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigurationVersions", x => x.Id);
                });
            migrationBuilder.Sql("CREATE SEQUENCE \"ConfigurationVersionValues\";");
            migrationBuilder.Sql("INSERT INTO \"ConfigurationVersions\" (\"Id\", \"Value\") VALUES (1, nextval('\"ConfigurationVersionValues\"'));");
            migrationBuilder.Sql("""
                CREATE FUNCTION "ConfigurationChanged"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "ConfigurationVersions" SET "Value" = nextval('"ConfigurationVersionValues"') WHERE "Id" = 1;
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in ConfigurationTables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"ConfigurationVersion\" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"{table}\" "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION \"ConfigurationChanged\"();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in ConfigurationTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER \"ConfigurationVersion\" ON \"{table}\";");
            }
            migrationBuilder.Sql("DROP FUNCTION \"ConfigurationChanged\"();");
            migrationBuilder.Sql("DROP SEQUENCE \"ConfigurationVersionValues\";");
            migrationBuilder.DropTable(
                name: "ConfigurationVersions");
        }
    }
}
