using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ApprovalHistoryEntries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApprovalHistoryEntries",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Stage = table.Column<int>(type: "integer", nullable: false),
                    DecidedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalHistoryEntries", x => new { x.UserId, x.RequestId, x.Stage });
                    table.ForeignKey(
                        name: "FK_ApprovalHistoryEntries_AssignmentRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "AssignmentRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalHistoryEntries_RequestId",
                table: "ApprovalHistoryEntries",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalHistoryEntries_UserId_DecidedDateTime",
                table: "ApprovalHistoryEntries",
                columns: new[] { "UserId", "DecidedDateTime" });

            // Decisions already taken are filed under the other users their stage named, as a decision is from now on.
            migrationBuilder.Sql("""
                INSERT INTO "ApprovalHistoryEntries" ("UserId", "RequestId", "Stage", "DecidedDateTime")
                SELECT DISTINCT (approver->>'UserId')::uuid, d."RequestId", d."Stage", d."DecidedDateTime"
                FROM "ApprovalDecisions" AS d JOIN "AssignmentRequests" AS r ON r."Id" = d."RequestId"
                CROSS JOIN LATERAL jsonb_array_elements(COALESCE(r."ApprovalStages"->(d."Stage" - 1)->'PrimaryApprovers', '[]')
                    || COALESCE(r."ApprovalStages"->(d."Stage" - 1)->'EscalationApprovers', '[]')) AS approver
                WHERE approver->>'UserId' IS NOT NULL AND (approver->>'UserId')::uuid <> d."ApproverUserId"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApprovalHistoryEntries");
        }
    }
}
