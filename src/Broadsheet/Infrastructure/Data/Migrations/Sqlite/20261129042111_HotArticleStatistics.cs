using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// Nothing to do on SQLite, which plans without statistics unless ANALYZE runs (see bench/README);
    /// the PostgreSQL migration of this name keeps the comments table's statistics up with a viral story.
    /// </summary>
    public partial class HotArticleStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
