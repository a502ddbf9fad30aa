using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_ScheduledDeletionDateTime",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_AccessPackageId_State",
                table: "Assignments");

            migrationBuilder.CreateIndex(
                name: "IX_Users_ScheduledDeletionDateTime",
                table: "Users",
                column: "ScheduledDeletionDateTime",
                filter: "\"ScheduledDeletionDateTime\" IS NOT NULL AND \"DeletedDateTime\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Activity_ActivityDateTime",
                table: "AuditEvents",
                columns: new[] { "Activity", "ActivityDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AccessPackageId_StartDateTime",
                table: "Assignments",
                columns: new[] { "AccessPackageId", "StartDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AccessPackageId_State_StartDateTime",
                table: "Assignments",
                columns: new[] { "AccessPackageId", "State", "StartDateTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_ScheduledDeletionDateTime",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Activity_ActivityDateTime",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_AccessPackageId_StartDateTime",
                table: "Assignments");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_AccessPackageId_State_StartDateTime",
                table: "Assignments");

            migrationBuilder.CreateIndex(
                name: "IX_Users_ScheduledDeletionDateTime",
                table: "Users",
                column: "ScheduledDeletionDateTime");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AccessPackageId_State",
                table: "Assignments",
                columns: new[] { "AccessPackageId", "State" });
        }
    }
}
