using Broadsheet.Accounts;
using Broadsheet.Admin;
using Broadsheet.Articles;
using Broadsheet.Comments;
using Broadsheet.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Broadsheet.Infrastructure.Data;

/// <summary>
/// The one EF Core model. Each database provider has a thin subclass
/// (<see cref="SqliteBroadsheetDbContext"/>, <see cref="PostgresBroadsheetDbContext"/>) only so that
/// each keeps its own migration set; features depend on this base type. Staff accounts use
/// ASP.NET Core Identity's tables in the same database.
/// </summary>
public abstract class BroadsheetDbContext(DbContextOptions options)
    : IdentityDbContext<StaffUser, IdentityRole, string>(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Author> Authors => Set<Author>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<Byline> Bylines => Set<Byline>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<ArticleSlugHistory> ArticleSlugHistory => Set<ArticleSlugHistory>();
    public DbSet<AuthorSlugHistory> AuthorSlugHistory => Set<AuthorSlugHistory>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<CommentReport> CommentReports => Set<CommentReport>();
    public DbSet<SiteSetting> SiteSettings => Set<SiteSetting>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataRightsRequest> DataRightsRequests => Set<DataRightsRequest>();
    public DbSet<CommenterErasure> CommenterErasures => Set<CommenterErasure>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder); // Identity's tables
        builder.ApplyConfigurationsFromAssembly(typeof(BroadsheetDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Every date is stored in UTC; SQLite hands values back without a Kind, so mark them on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

public sealed class SqliteBroadsheetDbContext(DbContextOptions<SqliteBroadsheetDbContext> options)
    : BroadsheetDbContext(options);

public sealed class PostgresBroadsheetDbContext(DbContextOptions<PostgresBroadsheetDbContext> options)
    : BroadsheetDbContext(options);
