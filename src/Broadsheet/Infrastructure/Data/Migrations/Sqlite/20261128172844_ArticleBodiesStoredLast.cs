using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// Rebuilds the articles table with the two bodies as its last columns. SQLite reads a row's
    /// columns in order and stores a long row's tail in overflow pages, so every column after a
    /// 10 KB body (status, publication date, section, comment count...) cost a walk through the
    /// body's pages: ranking related articles, filtering search hits and listing summaries read
    /// several pages per article instead of one. The model is unchanged (no PostgreSQL twin:
    /// PostgreSQL keeps long values out of line by itself). A later rebuild of this table by EF
    /// would put the bodies back in the middle; repeat this order by hand if that happens.
    /// </summary>
    public partial class ArticleBodiesStoredLast : Migration
    {
        private const string Columns = """
            "Id", "Slug", "Headline", "Dek", "Status", "SectionId", "PublishedAt", "CreatedAt", "UpdatedAt",
            "CorrectionsNote", "CommentsOpen", "FeaturedImagePath", "FeaturedImageAlt", "FeaturedImageCaption",
            "CommentCount", "ConcurrencyStamp", "CreatedByUserId", "UpdatedByName", "BodyMarkdown", "BodyHtml"
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Dropping a table that others reference would otherwise cascade to every comment and byline.
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Articles" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Articles" PRIMARY KEY AUTOINCREMENT,
                    "Slug" TEXT NOT NULL,
                    "Headline" TEXT NOT NULL,
                    "Dek" TEXT NULL,
                    "Status" INTEGER NOT NULL,
                    "SectionId" INTEGER NULL,
                    "PublishedAt" TEXT NULL,
                    "CreatedAt" TEXT NOT NULL,
                    "UpdatedAt" TEXT NOT NULL,
                    "CorrectionsNote" TEXT NULL,
                    "CommentsOpen" INTEGER NOT NULL,
                    "FeaturedImagePath" TEXT NULL,
                    "FeaturedImageAlt" TEXT NULL,
                    "FeaturedImageCaption" TEXT NULL,
                    "CommentCount" INTEGER NOT NULL DEFAULT 0,
                    "ConcurrencyStamp" TEXT NOT NULL DEFAULT '',
                    "CreatedByUserId" TEXT NULL,
                    "UpdatedByName" TEXT NULL,
                    "BodyMarkdown" TEXT NOT NULL,
                    "BodyHtml" TEXT NOT NULL,
                    CONSTRAINT "FK_Articles_Sections_SectionId" FOREIGN KEY ("SectionId") REFERENCES "Sections" ("Id") ON DELETE SET NULL
                );
                """);
            migrationBuilder.Sql($"""INSERT INTO "ef_temp_Articles" ({Columns}) SELECT {Columns} FROM "Articles";""");
            // Ids of deleted articles are never handed out again: keep the AUTOINCREMENT high-water mark.
            migrationBuilder.Sql("""
                UPDATE "sqlite_sequence"
                SET "seq" = (SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'Articles')
                WHERE "name" = 'ef_temp_Articles' AND EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = 'Articles');
                INSERT INTO "sqlite_sequence" ("name", "seq")
                SELECT 'ef_temp_Articles', "seq" FROM "sqlite_sequence"
                WHERE "name" = 'Articles' AND NOT EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = 'ef_temp_Articles');
                """);
            migrationBuilder.Sql("""DROP TABLE "Articles";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_Articles" RENAME TO "Articles";""");
            migrationBuilder.Sql("""
                CREATE UNIQUE INDEX "IX_Articles_Slug" ON "Articles" ("Slug");
                CREATE INDEX "IX_Articles_Status_PublishedAt_Id" ON "Articles" ("Status", "PublishedAt", "Id");
                CREATE INDEX "IX_Articles_SectionId_Status_PublishedAt_Id" ON "Articles" ("SectionId", "Status", "PublishedAt", "Id");
                """);

            // The search index's triggers went with the old table; the index itself (external
            // content, keyed by the unchanged ids) still holds every article.
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
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Column order is not part of the model: nothing to undo for the schema EF knows.
        }
    }
}
