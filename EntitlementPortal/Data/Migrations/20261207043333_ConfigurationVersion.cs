using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfigurationVersion : Migration
    {
        // The configuration the cache keeps is read from these (Data/ConfigurationCache.cs); a change to any of them, by
        // whatever means, sets a random version: SQLite has no sequence that a rollback leaves behind.
        private static readonly string[] ConfigurationTables =
        [
            "Catalogs", "AccessPackages", "AccessPackageResourceRoles", "IncompatibleAccessPackages", "AssignmentPolicies",
            "AssignmentPolicyTargets", "ConnectedOrganizations", "IdentitySources", "ExternalCollaborationSettings",
        ];

        private static readonly string[] Changes = ["INSERT", "UPDATE", "DELETE"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConfigurationVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigurationVersions", x => x.Id);
                });
            migrationBuilder.Sql("INSERT INTO \"ConfigurationVersions\" (\"Id\", \"Value\") VALUES (1, random());");
            foreach (var table in ConfigurationTables)
            {
                foreach (var change in Changes)
                {
                    migrationBuilder.Sql($"CREATE TRIGGER \"{table}_{change}_ConfigurationVersion\" AFTER {change} ON \"{table}\" "
                        + "BEGIN UPDATE \"ConfigurationVersions\" SET \"Value\" = random() WHERE \"Id\" = 1; END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in ConfigurationTables)
            {
                foreach (var change in Changes)
                {
                    migrationBuilder.Sql($"DROP TRIGGER \"{table}_{change}_ConfigurationVersion\";");
                }
            }
            migrationBuilder.DropTable(
                name: "ConfigurationVersions");
        }
    }
}
