using System.ComponentModel.DataAnnotations;
using Broadsheet.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Broadsheet.Accounts;

/// <summary>First run: while no account exists, anyone who can reach the site creates the first Administrator. Afterwards: 404.</summary>
[AllowAnonymous]
public sealed class SetupPageModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, StaffAccounts accounts)
    : PageModel, IStaffPage
{
    public string Title => "Set up";

    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await users.Users.AnyAsync() ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.Users.AnyAsync())
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var created = await accounts.CreateAsync(Input.Email, Input.DisplayName, StaffRoles.Administrator, Input.Password, HttpContext.RequestAborted);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? "Input.Password" : string.Empty, error.Description);
            }

            return Page();
        }

        var user = (await users.FindByEmailAsync(Input.Email.Trim()))!;
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/admin");
    }
}

public sealed class SetupInput
{
    [Required(ErrorMessage = "Please enter your name.")]
    [StringLength(100, ErrorMessage = "Your name is too long: at most 100 characters.")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "Please enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Please choose a password.")]
    [StringLength(200, MinimumLength = 12, ErrorMessage = "Your password must be at least 12 characters long.")]
    public string Password { get; set; } = "";
}
