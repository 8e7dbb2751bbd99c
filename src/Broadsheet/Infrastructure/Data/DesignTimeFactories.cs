using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Broadsheet.Infrastructure.Data;

// Used only by `dotnet ef migrations add` (scripts/add-migration.sh); neither connects to a database.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBroadsheetDbContext>
{
    public SqliteBroadsheetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBroadsheetDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBroadsheetDbContext>
{
    public PostgresBroadsheetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBroadsheetDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
