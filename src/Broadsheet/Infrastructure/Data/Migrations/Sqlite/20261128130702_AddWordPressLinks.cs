using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddWordPressLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WordPressCommentLinks",
                columns: table => new
                {
                    Site = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WordPressId = table.Column<long>(type: "INTEGER", nullable: false),
                    CommentId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WordPressCommentLinks", x => new { x.Site, x.WordPressId });
                    table.ForeignKey(
                        name: "FK_WordPressCommentLinks_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WordPressPostLinks",
                columns: table => new
                {
                    Site = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WordPressId = table.Column<long>(type: "INTEGER", nullable: false),
                    PostType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WordPressPostLinks", x => new { x.Site, x.WordPressId });
                    table.ForeignKey(
                        name: "FK_WordPressPostLinks_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WordPressCommentLinks_CommentId",
                table: "WordPressCommentLinks",
                column: "CommentId");

            migrationBuilder.CreateIndex(
                name: "IX_WordPressPostLinks_ArticleId",
                table: "WordPressPostLinks",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_WordPressPostLinks_Slug",
                table: "WordPressPostLinks",
                column: "Slug");

            migrationBuilder.CreateIndex(
                name: "IX_WordPressPostLinks_WordPressId",
                table: "WordPressPostLinks",
                column: "WordPressId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WordPressCommentLinks");

            migrationBuilder.DropTable(
                name: "WordPressPostLinks");
        }
    }
}
