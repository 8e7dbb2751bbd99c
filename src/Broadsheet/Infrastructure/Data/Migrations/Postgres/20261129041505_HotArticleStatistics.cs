using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Broadsheet.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL re-analyzes a table after 10 % of its rows changed: 100,000 new comments on a site
    /// of a million. Until then a story that went viral since the last analysis still looks, to
    /// the planner, like one with a handful of comments, and the comment queries on it take plans
    /// that read every one of its comments (35 ms per query, measured at 10,000 comments on one
    /// article of a 100,000-article site; 0.2 ms once analyzed). Analyzing after every 1,000
    /// changed comments keeps the plans right (an analysis samples 30,000 rows, whatever the size).
    /// </summary>
    public partial class HotArticleStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "Comments" SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "Comments" RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);""");
        }
    }
}
