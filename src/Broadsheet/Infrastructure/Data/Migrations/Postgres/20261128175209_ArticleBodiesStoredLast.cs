using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// Nothing to do on PostgreSQL: its twin reorders the SQLite articles table so the long bodies
    /// come last, and PostgreSQL already keeps long values out of line (TOAST). It exists so that
    /// both migration sets keep the same steps.
    /// </summary>
    public partial class ArticleBodiesStoredLast : Migration
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
