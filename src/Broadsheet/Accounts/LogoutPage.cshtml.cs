using Broadsheet.Admin;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Broadsheet.Accounts;

public sealed class LogoutPageModel(SignInManager<StaffUser> signIn) : StaffPageModel
{
    public void OnGet() => Title = "Sign out";

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/admin/login");
    }
}
