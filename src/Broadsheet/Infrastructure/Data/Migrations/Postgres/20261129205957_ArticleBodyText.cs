using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ArticleBodyText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BodyText",
                table: "Articles",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Search indexes the body's text, not its Markdown (see the SQLite migration of the same name).
            migrationBuilder.Sql("""DROP INDEX "IX_Articles_SearchVector"; ALTER TABLE "Articles" DROP COLUMN "SearchVector";""");
            migrationBuilder.Sql("""
                ALTER TABLE "Articles" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', coalesce("Headline", '')), 'A') ||
                    setweight(to_tsvector('english', coalesce("Dek", '')), 'B') ||
                    setweight(to_tsvector('english', coalesce("BodyText", '')), 'C')) STORED;
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_SearchVector" ON "Articles" USING GIN ("SearchVector");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Articles_SearchVector"; ALTER TABLE "Articles" DROP COLUMN "SearchVector";""");
            migrationBuilder.Sql("""
                ALTER TABLE "Articles" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', coalesce("Headline", '')), 'A') ||
                    setweight(to_tsvector('english', coalesce("Dek", '')), 'B') ||
                    setweight(to_tsvector('english', coalesce("BodyMarkdown", '')), 'C')) STORED;
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_SearchVector" ON "Articles" USING GIN ("SearchVector");""");
            migrationBuilder.DropColumn(
                name: "BodyText",
                table: "Articles");
        }
    }
}
