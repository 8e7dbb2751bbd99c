#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of about a given size, for `Broadsheet import wxr` at scale.

Shaped like a real newsroom's Tools -> Export file: a channel with 40 authors, 8 categories and
60 tags; then items in id order as WordPress writes them: posts (block-editor HTML with
paragraphs, headings, lists, quotes, images and captions, or classic-editor text with blank-line
paragraphs and [caption]), a few pages, the attachments that posts use as featured images (70 % of
posts have one), revisions and menu items (which the importer leaves out), and threaded comments
(0 to a few hundred per post, a long tail; replies up to 6 deep, about a third of comments reply to
another) with WordPress's statuses (approved, held, spam, trash), IPv4 and IPv6 addresses, and the
odd pingback. Post statuses are mostly publish, with drafts, pending, private, scheduled and trash.
The text comes from generate-articles.py's vocabulary. The same --seed gives the same file.

    python3 bench/generate-wxr.py --size-mb 1024 --out /tmp/big.xml [--seed 7]

It stops at the first item boundary past the size and prints one line with the counts, e.g.
"Wrote /tmp/big.xml: 1073745920 bytes, 61234 posts, 612 pages, 42911 attachments, 612001 comments
(18012 pingbacks), 3051 revisions, 120 menu items".
"""

import argparse
import datetime
import importlib.util
import os
import random
import sys

# The article text generator's vocabulary and sentences, so both datasets read alike.
_spec = importlib.util.spec_from_file_location(
    "generate_articles", os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate-articles.py"))
articles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(articles)

SITE = "https://gazette.example.org"
COMMENTER_FIRST = ["Ann", "Björn", "Carla", "Dev", "Eun-ji", "Femi", "Greta", "Hugo", "Ines", "Jamal",
                   "Kasia", "Liam", "Mei", "Nico", "Olu", "Paula", "Quinn", "Rosa", "Sven", "Tariq"]
COMMENTER_LAST = ["Reader", "Ström", "Late", "Patel", "Kim", "Ade", "Lund", "Moreau", "Costa", "Ali",
                  "Nowak", "Byrne", "Chen", "Ferri", "Bello", "Ruiz", "Doyle", "Sousa", "Eklund", "Aziz"]
REACTIONS = ["Thanks for covering this.", "I was at the meeting and this is accurate.",
             "Who is going to pay for all of this?", "Finally some good news.",
             "This has been coming for years.", "Do you have a link to the full report?",
             "My street is affected and nobody told us.", "Great reporting, as always.",
             "I disagree with the premise of this article.", "Same thing happened in our town in 2019.",
             "Can someone explain what this means for renters?", "Well said."]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_date(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def rfc822(moment):
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def block_body(rnd):
    """Block-editor HTML, the way WordPress 5+ stores a post."""
    blocks = []
    for block in articles.body(rnd).strip().split("\n\n"):
        if block.startswith("## "):
            blocks.append(f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{block[3:]}</h2>\n<!-- /wp:heading -->')
        elif block.startswith("> "):
            blocks.append(f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>{block[2:]}</p>\n'
                          '<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->')
        elif block.startswith("- "):
            items = "\n\n".join(f"<!-- wp:list-item -->\n<li>{line[2:]}</li>\n<!-- /wp:list-item -->" for line in block.split("\n"))
            blocks.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
        else:
            blocks.append(f"<!-- wp:paragraph -->\n<p>{inline(block)}</p>\n<!-- /wp:paragraph -->")
        if rnd.random() < 0.04:
            image = rnd.randint(1000, 99999)
            blocks.append(f'<!-- wp:image {{"id":{image},"sizeSlug":"large"}} -->\n<figure class="wp-block-image size-large">'
                          f'<img src="{SITE}/wp-content/uploads/2024/05/photo-{image}.jpg" alt="{articles.sentence(rnd)[:-1]}" '
                          f'class="wp-image-{image}"/><figcaption class="wp-element-caption">{articles.sentence(rnd)}</figcaption>'
                          "</figure>\n<!-- /wp:image -->")
    return "\n\n".join(blocks)


def classic_body(rnd):
    """Classic-editor text: paragraphs by blank lines, wpautop does the rest; images in [caption]."""
    blocks = []
    for block in articles.body(rnd).strip().split("\n\n"):
        if block.startswith("## "):
            blocks.append(f"<h2>{block[3:]}</h2>")
        elif block.startswith("> "):
            blocks.append(f"<blockquote>{block[2:]}</blockquote>")
        elif block.startswith("- "):
            blocks.append("<ul>\n" + "\n".join(f"\t<li>{line[2:]}</li>" for line in block.split("\n")) + "\n</ul>")
        else:
            blocks.append(inline(block))
        if rnd.random() < 0.04:
            image = rnd.randint(1000, 99999)
            blocks.append(f'[caption id="attachment_{image}" align="alignnone" width="800"]<img class="size-large wp-image-{image}" '
                          f'src="{SITE}/wp-content/uploads/2019/03/photo-{image}.jpg" alt="" width="800" height="533" /> '
                          f"{articles.sentence(rnd)}[/caption]")
    return "\n\n".join(blocks)


def inline(markdown):
    """The generator's Markdown emphasis and links as the HTML WordPress holds."""
    out = markdown
    while "**" in out:
        out = out.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
    while "[report](" in out:
        start = out.index("[report](")
        end = out.index(")", start)
        out = out[:start] + f'<a href="{out[start + 9:end]}">report</a>' + out[end + 1:]
    return out


def comment_count(rnd):
    """Most posts get a few comments, some none, a few hundreds: a long tail, mean about 10."""
    roll = rnd.random()
    if roll < 0.2:
        return 0
    if roll < 0.97:
        return int(rnd.expovariate(1 / 9))
    return rnd.randint(80, 300)


def comments_xml(rnd, post_date, first_id, count):
    """Threaded comments: about a third answer an earlier one (up to 6 deep)."""
    out = []
    depth = {}
    ids = []
    moment = post_date
    pingbacks = 0
    for n in range(count):
        comment_id = first_id + n
        moment += datetime.timedelta(seconds=rnd.randint(30, 7200))
        kind = "pingback" if rnd.random() < 0.03 else rnd.choice(["comment", ""])
        parent = 0
        if kind != "pingback" and ids and rnd.random() < 0.35:
            parent = rnd.choice(ids[-20:])
            if depth[parent] >= 6:
                parent = 0
        depth[comment_id] = depth.get(parent, 0) + 1 if parent else 1
        if kind != "pingback":
            ids.append(comment_id)
        status = rnd.choices(["1", "0", "spam", "trash"], weights=[85, 7, 6, 2])[0]
        first, last = rnd.choice(COMMENTER_FIRST), rnd.choice(COMMENTER_LAST)
        if kind == "pingback":
            pingbacks += 1
            name, email, url = "Another Blog", "", f"https://blog{rnd.randint(1, 500)}.example/post-{comment_id}"
            text = f"[&#8230;] {articles.sentence(rnd)} [&#8230;]"
        else:
            name = f"{first} {last}"
            email = f"{first.lower()}.{last.lower()}{rnd.randint(1, 400)}@example.net"
            url = f"https://{last.lower()}.example.net/" if rnd.random() < 0.2 else ""
            paragraphs = [" ".join([rnd.choice(REACTIONS)] + [articles.sentence(rnd) for _ in range(rnd.randint(0, 3))])
                          for _ in range(1 if rnd.random() < 0.7 else rnd.randint(2, 4))]
            text = "\n\n".join(paragraphs)
            if rnd.random() < 0.1:
                text += f' See <a href="https://example.net/{comment_id}">this</a>, it is <strong>relevant</strong>.'
        ip = (f"203.0.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}" if rnd.random() < 0.8
              else f"2001:db8:{rnd.randint(0, 65535):x}:{rnd.randint(0, 65535):x}::{rnd.randint(1, 65535):x}")
        out.append(f"""
		<wp:comment>
			<wp:comment_id>{comment_id}</wp:comment_id>
			<wp:comment_author>{cdata(name)}</wp:comment_author>
			<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
			<wp:comment_author_url>{url}</wp:comment_author_url>
			<wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>
			<wp:comment_date>{cdata(wp_date(moment + datetime.timedelta(hours=1)))}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(wp_date(moment))}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(text)}</wp:comment_content>
			<wp:comment_approved>{cdata(status)}</wp:comment_approved>
			<wp:comment_type>{cdata(kind)}</wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>""")
    return "".join(out), pingbacks


def postmeta(key, value):
    return f"""
		<wp:postmeta>
			<wp:meta_key>{cdata(key)}</wp:meta_key>
			<wp:meta_value>{cdata(value)}</wp:meta_value>
		</wp:postmeta>"""


def item(post_id, post_type, status, title, slug, creator, moment, content, excerpt="", parent=0, extra=""):
    link = f"{SITE}/{moment.strftime('%Y/%m/%d')}/{slug}/" if post_type == "post" else f"{SITE}/?p={post_id}"
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{link}</link>
		<pubDate>{rfc822(moment)}</pubDate>
		<dc:creator>{cdata(creator)}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={post_id}</guid>
		<description></description>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{cdata(wp_date(moment + datetime.timedelta(hours=1)))}</wp:post_date>
		<wp:post_date_gmt>{cdata(wp_date(moment))}</wp:post_date_gmt>
		<wp:post_modified>{cdata(wp_date(moment + datetime.timedelta(hours=3)))}</wp:post_modified>
		<wp:post_modified_gmt>{cdata(wp_date(moment + datetime.timedelta(hours=2)))}</wp:post_modified_gmt>
		<wp:comment_status>{cdata("open")}</wp:comment_status>
		<wp:ping_status>{cdata("open")}</wp:ping_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>{parent}</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata(post_type)}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>{extra}
	</item>
"""


def header(staff):
    authors = "\n".join(
        f"\t<wp:author><wp:author_id>{i + 2}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(login + '@gazette.example.org')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(name.split()[0])}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(name.split()[-1])}</wp:author_last_name></wp:author>"
        for i, (login, name) in enumerate(staff))
    categories = "\n".join(
        f"\t<wp:category><wp:term_id>{i + 1}</wp:term_id><wp:category_nicename>{cdata(articles.slug(name))}</wp:category_nicename>"
        f"<wp:category_parent>{cdata('')}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for i, name in enumerate(["Uncategorized"] + articles.SECTIONS))
    tags = "\n".join(
        f"\t<wp:tag><wp:term_id>{i + 20}</wp:term_id><wp:tag_slug>{cdata(articles.slug(name))}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
        for i, name in enumerate(articles.TAGS))
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.5.3" created="2025-12-31 12:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>Harbour Town Gazette</title>
	<link>{SITE}</link>
	<description>News from the waterfront</description>
	<pubDate>Wed, 31 Dec 2025 12:00:00 +0000</pubDate>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>

{authors}

{categories}
{tags}

	<generator>https://wordpress.org/?v=6.5.3</generator>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1024, help="approximate file size in MiB (default 1024)")
    parser.add_argument("--out", required=True, help="the file to write (replaced)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    if args.size_mb <= 0:
        sys.exit("--size-mb must be above 0")

    rnd = random.Random(args.seed)
    names = sorted({f"{rnd.choice(articles.FIRST_NAMES)} {rnd.choice(articles.LAST_NAMES)}" for _ in range(60)})[:40]
    staff = [((name.split()[0][0] + name.split()[-1]).lower(), name) for name in names]
    target = int(args.size_mb * 1024 * 1024)
    start = datetime.datetime(2012, 1, 1)
    counts = dict.fromkeys(["posts", "pages", "attachments", "comments", "pingbacks", "revisions", "menu items"], 0)
    next_id, next_comment = 100, 1000
    moment = start
    written = 0
    with open(args.out, "wb") as f:
        def write(text):
            nonlocal written
            data = text.encode("utf-8")
            f.write(data)
            written += len(data)

        write(header(staff))
        while written < target:
            moment += datetime.timedelta(seconds=rnd.randint(600, 9000))
            login, _ = rnd.choice(staff)
            roll = rnd.random()
            if roll < 0.002:
                next_id += 1
                write(item(next_id, "nav_menu_item", "publish", "", str(next_id), login, moment, ""))
                counts["menu items"] += 1
                continue
            post_type = "page" if roll < 0.012 else "post"
            title = articles.headline(rnd)
            slug = articles.slug(title)
            post_id = next_id + 1
            extra = postmeta("_edit_last", "2")
            if post_type == "post" and rnd.random() < 0.7:
                # The featured image: an attachment item of its own, before the post as in id order.
                attachment_id = post_id
                post_id += 1
                photo = f"{SITE}/wp-content/uploads/{moment:%Y/%m}/{slug[:40]}.jpg"
                write(item(attachment_id, "attachment", "inherit", slug[:40], slug[:40], login, moment, "",
                           excerpt=articles.sentence(rnd), parent=post_id,
                           extra=f"\n\t\t<wp:attachment_url>{cdata(photo)}</wp:attachment_url>"
                                 + postmeta("_wp_attachment_image_alt", articles.sentence(rnd)[:-1])))
                counts["attachments"] += 1
                extra += postmeta("_thumbnail_id", str(attachment_id))
            next_id = post_id
            status = rnd.choices(["publish", "draft", "pending", "private", "future", "trash"],
                                 weights=[93, 3, 1, 1, 1, 1])[0]
            if post_type == "post":
                extra += f'\n\t\t<category domain="category" nicename="{articles.slug(section := rnd.choice(articles.SECTIONS))}">{cdata(section)}</category>'
                for tag in rnd.sample(articles.TAGS, rnd.randint(1, 5)):
                    extra += f'\n\t\t<category domain="post_tag" nicename="{articles.slug(tag)}">{cdata(tag)}</category>'
            count = comment_count(rnd) if status == "publish" else 0
            thread, pingbacks = comments_xml(rnd, moment, next_comment, count)
            next_comment += count
            counts["comments"] += count - pingbacks
            counts["pingbacks"] += pingbacks
            content = block_body(rnd) if rnd.random() < 0.7 else classic_body(rnd)
            write(item(post_id, post_type, status, title, slug, login, moment, content,
                       excerpt=articles.sentence(rnd) if rnd.random() < 0.5 else "", extra=extra + thread))
            counts["posts" if post_type == "post" else "pages"] += 1
            if rnd.random() < 0.05:
                next_id += 1
                write(item(next_id, "revision", "inherit", title, f"{post_id}-revision-v1", login, moment, content[:2000], parent=post_id))
                counts["revisions"] += 1
        write("</channel>\n</rss>\n")

    print(f"Wrote {args.out}: {written} bytes, {counts['posts']} posts, {counts['pages']} pages, "
          f"{counts['attachments']} attachments, {counts['comments']} comments ({counts['pingbacks']} pingbacks), "
          f"{counts['revisions']} revisions, {counts['menu items']} menu items")


if __name__ == "__main__":
    main()
