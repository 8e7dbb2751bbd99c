using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommentFeedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Comments_ArticleId_Status_CreatedAt",
                table: "Comments",
                columns: new[] { "ArticleId", "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Comments_ArticleId_Status_CreatedAt",
                table: "Comments");
        }
    }
}
