using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
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
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedDateTime = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                SELECT DISTINCT upper(json_extract(approver.value, '$.UserId')), d."RequestId", d."Stage", d."DecidedDateTime"
                FROM "ApprovalDecisions" AS d JOIN "AssignmentRequests" AS r ON r."Id" = d."RequestId",
                    json_each(r."ApprovalStages") AS stage, json_each(stage.value) AS list, json_each(list.value) AS approver
                WHERE stage.key = d."Stage" - 1 AND list.key IN ('PrimaryApprovers', 'EscalationApprovers')
                    AND json_extract(approver.value, '$.UserId') IS NOT NULL AND upper(json_extract(approver.value, '$.UserId')) <> d."ApproverUserId"
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
