using System.Globalization;
using Broadsheet.Admin;
using Broadsheet.Infrastructure.Data;
using Broadsheet.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace Broadsheet.Accounts;

/// <summary>
/// Optional two-factor sign-in with an authenticator app (TOTP, RFC 6238, through Identity's
/// authenticator token provider), with ten single-use recovery codes for a lost phone.
/// </summary>
public sealed class TwoFactorPageModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, SiteOptions site, AuditLog audit, BroadsheetDbContext db)
    : StaffPageModel
{
    public bool Enabled { get; private set; }

    /// <summary>The shared key, grouped in fours for typing into an app.</summary>
    public string? Key { get; private set; }

    /// <summary>An inline SVG of the otpauth:// address for scanning (made here: no third-party QR service sees the key).</summary>
    public string? QrSvg { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    [BindProperty(Name = "code")]
    public string? Code { get; set; }

    public string? CodeError { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await CurrentUserAsync();
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Normalize(Code)))
        {
            CodeError = "That code is not right. Type the six digits your app shows now.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        audit.Record("account.two-factor-enabled", "account", user.Id);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await CurrentUserAsync();
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return RedirectToPage();
        }

        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        audit.Record("account.recovery-codes-renewed", "account", user.Id);
        await db.SaveChangesAsync();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await CurrentUserAsync();
        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key: the old one, possibly copied somewhere, never works again.
        await users.ResetAuthenticatorKeyAsync(user);
        audit.Record("account.two-factor-disabled", "account", user.Id);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage();
    }

    private async Task<StaffUser> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("A signed-in staff page without its account.");

    private async Task LoadAsync()
    {
        Title = "Two-factor sign-in";
        var user = await CurrentUserAsync();
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        if (Enabled)
        {
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        Key = string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(chunk => new string(chunk)));
        var address = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(site.Name)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(site.Name)}&digits=6");
        using var data = QRCodeGenerator.GenerateQrCode(address, QRCodeGenerator.ECCLevel.M);
        QrSvg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true);
    }

    /// <summary>Codes as people type them: "123 456", "123-456".</summary>
    internal static string Normalize(string? code) =>
        (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}
