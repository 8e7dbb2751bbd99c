using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommenterDataRights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CommenterErasures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ErasedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommentsDeleted = table.Column<int>(type: "INTEGER", nullable: false),
                    CommentsAnonymised = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommenterErasures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataRightsRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CommenterKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IpHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataRightsRequests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DataRightsRequests_CommenterKey_CreatedAt",
                table: "DataRightsRequests",
                columns: new[] { "CommenterKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DataRightsRequests_IpHash_CreatedAt",
                table: "DataRightsRequests",
                columns: new[] { "IpHash", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DataRightsRequests_TokenHash",
                table: "DataRightsRequests",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CommenterErasures");

            migrationBuilder.DropTable(
                name: "DataRightsRequests");
        }
    }
}
