using System.CommandLine;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Broadsheet.Accounts;

/// <summary>
/// <c>user password --email E</c>: sets a staff account's password from the command line. Accounts
/// restored by <c>import json</c> arrive without one (hashes are never exported); it also
/// rescues an Administrator who lost theirs. Ends the account's other sessions.
/// </summary>
internal static class UserPasswordCommand
{
    public static Command Create(WebApplication app)
    {
        var email = new Option<string>("--email") { Description = "The account's email.", Required = true };
        var passwordFromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of generating one." };
        var command = new Command("password", "Set a staff account's password (e.g. after `import json`); prints a one-time password.") { email, passwordFromStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var generated = !parse.GetValue(passwordFromStdin);
            var password = generated ? StaffPasswords.Generate() : (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "";
            await DatabaseSetup.PrepareForServingAsync(app.Services, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var address = parse.GetValue(email)!.Trim();
            if (await users.FindByEmailAsync(address) is not { } user)
            {
                await Console.Error.WriteLineAsync($"error: there is no staff account {address}.");
                return 1;
            }

            if (await users.HasPasswordAsync(user))
            {
                await users.RemovePasswordAsync(user);
            }

            var result = await users.AddPasswordAsync(user, password);
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    await Console.Error.WriteLineAsync($"error: {error.Description}");
                }

                return 1;
            }

            await users.UpdateSecurityStampAsync(user);
            scope.ServiceProvider.GetRequiredService<AuditLog>().Record("account.password-set", "account", user.Id, address, userName: "cli");
            await scope.ServiceProvider.GetRequiredService<BroadsheetDbContext>().SaveChangesAsync(cancellationToken);
            Console.WriteLine($"Set the password of {address}.");
            if (generated)
            {
                Console.WriteLine($"One-time password (shown once; sign in at /admin/login and keep it safe): {password}");
            }

            return 0;
        });
        return command;
    }
}
