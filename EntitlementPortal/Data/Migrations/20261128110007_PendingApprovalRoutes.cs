using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PendingApprovalRoutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PendingApprovalRoutes",
                columns: table => new
                {
                    RouteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingApprovalRoutes", x => new { x.RouteId, x.RequestId });
                    table.ForeignKey(
                        name: "FK_PendingApprovalRoutes_AssignmentRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "AssignmentRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovalRoutes_RequestId",
                table: "PendingApprovalRoutes",
                column: "RequestId");

            // Requests already waiting are filed under their routes, as the save files them from now on.
            migrationBuilder.Sql("""
                INSERT INTO "PendingApprovalRoutes" ("RouteId", "RequestId")
                SELECT DISTINCT route, id FROM (
                    SELECT CASE WHEN json_extract(approver.value, '$.Type') = 'SingleUser' THEN upper(json_extract(approver.value, '$.UserId'))
                        ELSE r."TargetConnectedOrganizationId" END AS route, r."Id" AS id
                    FROM "AssignmentRequests" AS r, json_each(r."ApprovalStages") AS stage, json_each(stage.value) AS list, json_each(list.value) AS approver
                    WHERE r."State" = 'PendingApproval' AND list.key IN ('PrimaryApprovers', 'FallbackPrimaryApprovers', 'EscalationApprovers'))
                WHERE route IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingApprovalRoutes");
        }
    }
}
