using System.Text.RegularExpressions;
using Broadsheet.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadsheet.BrowserTests;

/// <summary>The "Scroll to Top" control at the end of every page, used as a reader would: mouse, keyboard, reduced motion, no JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScrollToTopTests(BrowserSite site)
{
    /// <summary>A phone: the sample article is several screens long here.</summary>
    private static readonly ViewportSize Phone = new() { Width = 375, Height = 600 };

    [Fact]
    public async Task ScrollToTop_AppearsOnlyAfterScrolling()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        var control = page.Locator("a.to-top");

        await Expect(control).ToHaveCountAsync(1);
        await Expect(control).ToBeHiddenAsync();

        // A little scrolling (under the 300 px threshold) is not enough.
        await ScrollToAsync(page, 100);
        await NextFramesAsync(page);
        Assert.False(await control.IsVisibleAsync(), "Scroll to Top showed after scrolling only 100 px");

        await ScrollToBottomAsync(page);
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();

        await ScrollToAsync(page, 0);
        await Expect(control).ToBeHiddenAsync();
    }

    [Fact]
    public async Task ScrollToTop_DoesNotFlash_WhilePageLoads()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone });

        // Reports, from the first frame the browser renders with the control in it, whether the control shows.
        var firstFrame = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.ExposeFunctionAsync("reportScrollToTopInFirstFrame", (bool shown) => firstFrame.TrySetResult(shown));
        await context.AddInitScriptAsync(
            """
            requestAnimationFrame(function watch() {
              const control = document.querySelector(".to-top");
              if (!control) return requestAnimationFrame(watch);
              const style = getComputedStyle(control);
              window.reportScrollToTopInFirstFrame(style.visibility !== "hidden" && Number(style.opacity) > 0);
            });
            """);
        // A slow network, made certain: the page's script arrives after the browser has painted the page.
        // (Should a fix make the script block rendering, the control never paints first; the script then
        // goes on after a few seconds.)
        await context.RouteAsync("**/js/site*.js", async route =>
        {
            await Task.WhenAny(firstFrame.Task, Task.Delay(TimeSpan.FromSeconds(3)));
            await route.ContinueAsync();
        });

        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);

        Assert.False(await firstFrame.Task.WaitAsync(TimeSpan.FromSeconds(15)),
            "Scroll to Top showed at the top of the page while its script was loading, then faded out: readers see it flash on "
            + "page loads. (The control is visible until site.js adds class \"js\" to <html>, and site.js runs only after the page is parsed.)");
        await Expect(page.Locator("a.to-top")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task ScrollToTop_HasAccessibleName()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        await ScrollToBottomAsync(page);

        // Exact name: the arrow is decoration (aria-hidden), so a screen reader says just "Scroll to Top, link".
        var link = ScrollToTop(page);
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveAttributeAsync("href", "#top");
    }

    [Fact]
    public async Task ScrollToTop_Click_ScrollsToTopAndFocusesMasthead()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        await ScrollToBottomAsync(page);
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();

        await ScrollToTop(page).ClickAsync();

        await page.WaitForFunctionAsync("() => window.scrollY === 0");
        await Expect(page.Locator("#top")).ToBeFocusedAsync();
        Assert.Equal("top", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task ScrollToTop_WorksFromKeyboard()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);

        // Tab through the page as a keyboard user would, down to the footer's last link: the page scrolls with the
        // focus, so the control appears, and it is the next stop.
        await TabUntilFocusedAsync(page, ".site-footer a:last-of-type");
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(ScrollToTop(page)).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");

        await page.WaitForFunctionAsync("() => window.scrollY === 0");
        await Expect(page.Locator("#top")).ToBeFocusedAsync();
        Assert.Equal("top", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task ScrollToTop_ScrollsSmoothly_ByDefault()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone, ReducedMotion = ReducedMotion.NoPreference });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        var start = await ScrollToBottomAsync(page);
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();
        await RecordScrollPositionsAsync(page);

        await ScrollToTop(page).ClickAsync();

        await page.WaitForFunctionAsync("() => window.scrollY === 0");
        var positions = await RecordedScrollPositionsAsync(page);
        Assert.True(positions.Any(y => y > 0 && y < start),
            $"Expected the page to pass through positions between {start} and 0; scroll events saw: {string.Join(", ", positions)}");
    }

    [Fact]
    public async Task ScrollToTop_JumpsImmediately_WhenReaderPrefersReducedMotion()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone, ReducedMotion = ReducedMotion.Reduce });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);
        await ScrollToBottomAsync(page);
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();
        await RecordScrollPositionsAsync(page);

        await ScrollToTop(page).ClickAsync();

        // No waiting: the jump is done by the time the click has been handled.
        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
        var positions = await RecordedScrollPositionsAsync(page);
        Assert.True(positions.All(y => y == 0), $"Expected a jump straight to the top; scroll events saw: {string.Join(", ", positions)}");
        await Expect(page.Locator("#top")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task ScrollToTop_IsAPlainLinkToTheTop_WithoutJavaScript()
    {
        await using var context = await site.NewContextAsync(new() { ViewportSize = Phone, JavaScriptEnabled = false });
        var page = await BrowserSite.OpenAsync(context, BrowserSite.SampleArticle);

        // Always there without JavaScript, even before any scrolling.
        await Expect(page.Locator("html.js")).ToHaveCountAsync(0);
        await Expect(ScrollToTop(page)).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("End");
        await Expect(page.Locator(".site-footer")).ToBeInViewportAsync();
        await Expect(page.Locator("#top")).Not.ToBeInViewportAsync();

        await ScrollToTop(page).ClickAsync();

        // Without JavaScript the page runs no timers or frames for WaitForFunction; Playwright's assertions
        // poll from outside the page instead.
        await Expect(page).ToHaveURLAsync(new Regex("#top$"));
        await Expect(page.Locator("html")).ToHaveJSPropertyAsync("scrollTop", 0);
        Assert.Equal("#top", await page.EvaluateAsync<string>("() => location.hash"));
        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
    }

    private static ILocator ScrollToTop(IPage page) =>
        page.GetByRole(AriaRole.Link, new() { Name = "Scroll to Top", Exact = true });

    /// <summary>Scrolls at once (the stylesheet asks for smooth scrolling) and waits until the page is there.</summary>
    private static async Task ScrollToAsync(IPage page, double y)
    {
        await page.EvaluateAsync("y => window.scrollTo({ top: y, behavior: 'instant' })", y);
        await page.WaitForFunctionAsync("y => window.scrollY === Math.min(y, document.documentElement.scrollHeight - window.innerHeight)", y);
    }

    /// <summary>Scrolls to the end of the page and returns where that is, after checking the page is long enough to test with.</summary>
    private static async Task<double> ScrollToBottomAsync(IPage page)
    {
        var bottom = await page.EvaluateAsync<double>("() => document.documentElement.scrollHeight - window.innerHeight");
        Assert.True(bottom > 600, $"The page scrolls only {bottom} px at this size: too short to test Scroll to Top");
        await ScrollToAsync(page, bottom);
        return bottom;
    }

    /// <summary>Scroll events are dispatched with the next frame; after two, the page's handlers have seen the scroll.</summary>
    private static async Task NextFramesAsync(IPage page) =>
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");

    private static async Task RecordScrollPositionsAsync(IPage page) =>
        await page.EvaluateAsync("() => { window.scrollPositions = []; window.addEventListener('scroll', () => window.scrollPositions.push(window.scrollY)); }");

    private static async Task<double[]> RecordedScrollPositionsAsync(IPage page) =>
        await page.EvaluateAsync<double[]>("() => window.scrollPositions");

    private static async Task TabUntilFocusedAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 200; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"200 presses of Tab never reached {selector}");
    }
}
