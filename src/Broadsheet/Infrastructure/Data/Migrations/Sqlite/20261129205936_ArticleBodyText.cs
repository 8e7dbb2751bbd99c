using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Search indexes the body's text, not its Markdown: the FTS5 table and its triggers again,
            // over "BodyText". Existing articles get their text from DatabaseSetup after the migrations
            // (stripping HTML is C#'s), each update passing through the triggers into the index.
            migrationBuilder.Sql("""DROP TRIGGER "Articles_au_search"; DROP TRIGGER "Articles_ad_search"; DROP TRIGGER "Articles_ai_search"; DROP TABLE "ArticleSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Headline", "Dek", "BodyText",
                    content='Articles', content_rowid='Id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_ai_search" AFTER INSERT ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"(rowid, "Headline", "Dek", "BodyText") VALUES (new."Id", new."Headline", coalesce(new."Dek", ''), new."BodyText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_ad_search" AFTER DELETE ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Headline", "Dek", "BodyText") VALUES ('delete', old."Id", old."Headline", coalesce(old."Dek", ''), old."BodyText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_au_search" AFTER UPDATE OF "Headline", "Dek", "BodyText" ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Headline", "Dek", "BodyText") VALUES ('delete', old."Id", old."Headline", coalesce(old."Dek", ''), old."BodyText");
                    INSERT INTO "ArticleSearch"(rowid, "Headline", "Dek", "BodyText") VALUES (new."Id", new."Headline", coalesce(new."Dek", ''), new."BodyText");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Articles_au_search"; DROP TRIGGER "Articles_ad_search"; DROP TRIGGER "Articles_ai_search"; DROP TABLE "ArticleSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Headline", "Dek", "BodyMarkdown",
                    content='Articles', content_rowid='Id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_ai_search" AFTER INSERT ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"(rowid, "Headline", "Dek", "BodyMarkdown") VALUES (new."Id", new."Headline", coalesce(new."Dek", ''), new."BodyMarkdown");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_ad_search" AFTER DELETE ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Headline", "Dek", "BodyMarkdown") VALUES ('delete', old."Id", old."Headline", coalesce(old."Dek", ''), old."BodyMarkdown");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_au_search" AFTER UPDATE OF "Headline", "Dek", "BodyMarkdown" ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Headline", "Dek", "BodyMarkdown") VALUES ('delete', old."Id", old."Headline", coalesce(old."Dek", ''), old."BodyMarkdown");
                    INSERT INTO "ArticleSearch"(rowid, "Headline", "Dek", "BodyMarkdown") VALUES (new."Id", new."Headline", coalesce(new."Dek", ''), new."BodyMarkdown");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
            migrationBuilder.DropColumn(
                name: "BodyText",
                table: "Articles");
        }
    }
}
