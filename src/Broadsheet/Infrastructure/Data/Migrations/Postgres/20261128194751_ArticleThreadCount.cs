using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ArticleThreadCount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ThreadCount",
                table: "Articles",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing discussions: approved (Status 1) top-level comments, as CommentCounts keeps them from now on.
            migrationBuilder.Sql("""
                UPDATE "Articles" SET "ThreadCount" = (
                    SELECT COUNT(*) FROM "Comments" AS c
                    WHERE c."ArticleId" = "Articles"."Id" AND c."Status" = 1 AND c."ParentId" IS NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ThreadCount",
                table: "Articles");
        }
    }
}
