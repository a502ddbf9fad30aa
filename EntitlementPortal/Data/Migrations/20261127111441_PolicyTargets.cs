using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PolicyTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AssignmentPolicyTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssignmentPolicyId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentPolicyTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentPolicyTargets_AssignmentPolicies_AssignmentPolicyId",
                        column: x => x.AssignmentPolicyId,
                        principalTable: "AssignmentPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicies_BroadScope",
                table: "AssignmentPolicies",
                column: "AllowedTargetScope",
                filter: "\"AllowedTargetScope\" IN ('AllMemberUsers', 'AllDirectoryUsers', 'AllConfiguredConnectedOrganizationUsers', 'AllExternalUsers')");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicyTargets_AssignmentPolicyId",
                table: "AssignmentPolicyTargets",
                column: "AssignmentPolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicyTargets_TargetId",
                table: "AssignmentPolicyTargets",
                column: "TargetId");

            // The JSON list becomes a row per target before the column goes.
            migrationBuilder.Sql("""
                INSERT INTO "AssignmentPolicyTargets" ("TargetId", "AssignmentPolicyId")
                SELECT upper(j.value), p."Id" FROM "AssignmentPolicies" AS p, json_each(p."SpecificAllowedTargets") AS j;
                """);

            migrationBuilder.DropColumn(
                name: "SpecificAllowedTargets",
                table: "AssignmentPolicies");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SpecificAllowedTargets",
                table: "AssignmentPolicies",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.Sql("""
                UPDATE "AssignmentPolicies" SET "SpecificAllowedTargets" = (
                    SELECT json_group_array(t."TargetId") FROM "AssignmentPolicyTargets" AS t WHERE t."AssignmentPolicyId" = "AssignmentPolicies"."Id");
                """);

            migrationBuilder.DropTable(
                name: "AssignmentPolicyTargets");

            migrationBuilder.DropIndex(
                name: "IX_AssignmentPolicies_BroadScope",
                table: "AssignmentPolicies");
        }
    }
}
