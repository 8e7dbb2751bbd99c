"""Reads an article page's comment form for the comment POST scenario (bench/run.sh, bench/ab.sh).

    python3 bench/read-form.py PAGE.html

Checks the form has the fields the bench fills and prints two lines: the article's id
(comment_post_ID) and the form's other fields, URL-encoded, as the page rendered them (the hidden
fields and the signed stamp; an unchecked box is not sent). The reader's own fields (comment,
author, email, url) are filled per request by wrk-comment.lua.
"""
import html.parser
import sys
import urllib.parse


class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.fields = False, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "commentform":
            self.inside = True
        elif self.inside and tag in ("input", "textarea") and a.get("name"):
            self.fields.append((tag, a.get("type") or "text", a["name"], a.get("value") or "", "checked" in a))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


form = Form()
form.feed(open(sys.argv[1], encoding="utf-8").read())
names = {f[2] for f in form.fields}
missing = [n for n in ("comment", "author", "email", "url", "comment_post_ID", "form_stamp") if n not in names]
if missing:
    sys.exit("the comment form lacks " + ", ".join(missing))
fixed = [(n, v) for tag, kind, n, v, checked in form.fields
         if n not in ("comment", "author", "email", "url") and (kind != "checkbox" or checked)]
print(dict(fixed)["comment_post_ID"])
print(urllib.parse.urlencode(fixed))
