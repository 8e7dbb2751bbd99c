using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NewsroomStaffRepliesAndAutosave : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StaffUserId",
                table: "Comments",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsAutosave",
                table: "ArticleRevisions",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StaffUserId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "IsAutosave",
                table: "ArticleRevisions");
        }
    }
}
