using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntitlementPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignInCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SignInCodes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EmailNormalized = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Salt = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ClientKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ConsumedDateTime = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInCodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SignInCodes_ClientKey_CreatedDateTime",
                table: "SignInCodes",
                columns: new[] { "ClientKey", "CreatedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInCodes_EmailNormalized_CreatedDateTime",
                table: "SignInCodes",
                columns: new[] { "EmailNormalized", "CreatedDateTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SignInCodes");
        }
    }
}
