using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class EntraRoleSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "FromEntra",
                table: "DirectoryRoleAssignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Roles a sign-in took from an Entra ID token before the portal kept their source: their audit events say so.
            migrationBuilder.Sql("""
                UPDATE "DirectoryRoleAssignments" AS r SET "FromEntra" = 1
                WHERE EXISTS (SELECT 1 FROM "AuditEvents" AS e
                    WHERE e."Activity" = 'Add member to role' AND e."TargetType" = 'User'
                    AND lower(e."TargetId") = lower(r."UserId") AND e."Details" LIKE r."Role" || ' (Microsoft Entra ID %')
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FromEntra",
                table: "DirectoryRoleAssignments");
        }
    }
}
