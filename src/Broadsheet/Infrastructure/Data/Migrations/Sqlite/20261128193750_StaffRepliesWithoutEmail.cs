using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StaffRepliesWithoutEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Staff replies from the moderation desk used to copy the staff member's email into the
            // commenter's email column; they are linked to the account by StaffUserId instead, and
            // their email no longer travels in exports and backups.
            migrationBuilder.Sql("""UPDATE "Comments" SET "AuthorEmail" = '' WHERE "StaffUserId" IS NOT NULL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the emails are gone, and the staff account each reply links to still says who wrote it.
        }
    }
}
