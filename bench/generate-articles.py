#!/usr/bin/env python3
"""Writes N news articles as Markdown files with YAML front matter, for `Broadsheet import markdown`.

The text is generated, not real, but shaped like a newsroom's: headlines of 6-14 words, a dek,
bodies of roughly 500-1,300 words in 8-18 paragraphs with the odd sub-heading, quotation, list,
link and bold phrase; 1-2 bylines from a staff of 40, one of 8 sections, 2-5 of 60 tags, dates
spread over 2024-2025. The same --seed gives the same files, so runs compare like with like.

    python3 bench/generate-articles.py --count 2000 --out /tmp/articles [--seed 7]
"""

import argparse
import datetime
import os
import random
import sys

SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Sport", "Culture", "Opinion"]

FIRST_NAMES = ["Maria", "Tom", "Aisha", "Daniel", "Sofia", "Kenji", "Laura", "Omar", "Grace", "Lucas",
               "Priya", "Jonas", "Elena", "Samuel", "Hannah", "Mateo", "Chloe", "Ivan", "Nadia", "Peter"]
LAST_NAMES = ["Gomez", "Hale", "Okafor", "Berg", "Rossi", "Tanaka", "Fischer", "Haddad", "Murphy", "Silva",
              "Raman", "Lindqvist", "Petrova", "Adeyemi", "Weber", "Castro", "Dubois", "Novak", "Karimi", "Walsh"]

TAGS = ["Budget", "City Council", "Elections", "Climate", "Energy", "Housing", "Transport", "Health",
        "Education", "Courts", "Police", "Immigration", "Trade", "Inflation", "Interest Rates", "Jobs",
        "Startups", "Artificial Intelligence", "Cybersecurity", "Privacy", "Space", "Medicine", "Oceans",
        "Wildlife", "Football", "Tennis", "Cycling", "Olympics", "Film", "Music", "Books", "Theatre",
        "Architecture", "Food", "Travel", "Diplomacy", "Ukraine", "Middle East", "China", "European Union",
        "United Nations", "Parliament", "Taxes", "Pensions", "Water", "Agriculture", "Floods", "Wildfires",
        "Earthquakes", "Public Transport", "Airlines", "Banking", "Retail", "Media", "Universities",
        "Research", "Vaccines", "Data", "Labour Unions", "Local Government"]

PLACES = ["Brussels", "Nairobi", "Lisbon", "Osaka", "Denver", "Kraków", "Montreal", "Valparaíso", "Accra",
          "Hamburg", "Manila", "Glasgow", "Perth", "Rotterdam", "Ankara", "Bogotá", "Helsinki", "Austin",
          "the capital", "the northern provinces", "the coastal towns", "the river valley"]
ACTORS = ["the city council", "the finance ministry", "regional officials", "the central bank",
          "opposition leaders", "the health authority", "union representatives", "the prime minister",
          "a parliamentary committee", "local residents", "the transport agency", "the regulator",
          "researchers at the university", "the mayor's office", "the energy company", "aid agencies",
          "the court", "the coach", "the board", "environmental groups"]
ACTIONS = ["approved", "rejected", "delayed", "announced", "questioned", "defended", "unveiled",
           "scaled back", "doubled", "reviewed", "challenged", "welcomed", "criticised", "extended",
           "suspended", "funded", "investigated", "proposed"]
THINGS = ["a plan to expand the tram network", "new limits on short-term rentals", "the annual budget",
          "a deal on fishing rights", "the flood defence programme", "a tax on sugary drinks",
          "the merger of two regional hospitals", "a study of air quality near schools",
          "plans for a new stadium", "the sale of the state airline", "a ban on single-use plastics",
          "a pay offer for nurses", "the rollout of faster broadband", "a ceasefire proposal",
          "rules for artificial intelligence in hiring", "a programme of school repairs",
          "the timetable for the new metro line", "a pilot of four-day working weeks",
          "an inquiry into water contamination", "the renewal of the bridge"]
DETAILS = ["after months of negotiation", "despite strong objections", "in a narrow vote",
           "ahead of next year's election", "following a public consultation", "amid rising costs",
           "under pressure from business groups", "after an independent review",
           "in a statement on Tuesday", "late on Thursday night", "at a crowded public meeting",
           "for the first time in a decade", "with support from both sides", "as critics warned of delays"]
CONSEQUENCES = ["Costs are expected to rise by {n} percent over the next three years.",
                "About {n},000 households could be affected, according to official estimates.",
                "The change would take effect in {month}, officials said.",
                "Critics say the figures do not add up and have asked for an audit.",
                "Supporters argue that the plan will pay for itself within {n} years.",
                "The decision can still be appealed, but lawyers said a reversal was unlikely.",
                "Similar measures elsewhere have had mixed results.",
                "Turnout at the consultation was the highest on record.",
                "It is the {nth} such proposal since {year}.",
                "A final report is due before the end of {month}."]
QUOTES = ["We have listened, and we have changed the plan where it needed changing.",
          "Nobody asked the people who actually live here.",
          "This is a step in the right direction, but it is only a step.",
          "The numbers are clear, and they are not good.",
          "We will keep pushing until the promises are kept.",
          "It is too early to say whether it will work.",
          "Families cannot wait another year for an answer.",
          "I have seen nothing like it in thirty years of this job."]
ROLES = ["a spokesperson for the ministry", "a local shopkeeper", "the committee's chair",
         "an economist at the national institute", "a teacher who has lived in the area for 20 years",
         "the union's general secretary", "a senior official who asked not to be named",
         "a professor of public policy"]
SUBHEADS = ["What happens next", "The cost", "A long road", "Reaction", "Background",
            "What critics say", "The numbers", "Why it matters"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ORDINALS = ["second", "third", "fourth", "fifth"]


def sentence(rnd):
    kind = rnd.random()
    if kind < 0.45:
        text = f"{rnd.choice(ACTORS)} {rnd.choice(ACTIONS)} {rnd.choice(THINGS)} {rnd.choice(DETAILS)}."
        return text[0].upper() + text[1:]
    if kind < 0.75:
        return rnd.choice(CONSEQUENCES).format(
            n=rnd.randint(2, 40), month=rnd.choice(MONTHS), nth=rnd.choice(ORDINALS), year=rnd.randint(2008, 2023))
    if kind < 0.9:
        return f"In {rnd.choice(PLACES)}, {rnd.choice(ACTORS)} {rnd.choice(ACTIONS)} {rnd.choice(THINGS)}."
    return f"\u201c{rnd.choice(QUOTES)}\u201d said {rnd.choice(ROLES)}."


def paragraph(rnd):
    words = [sentence(rnd) for _ in range(rnd.randint(2, 5))]
    if rnd.random() < 0.15:
        i = rnd.randrange(len(words))
        words[i] = f"**{words[i][:-1]}**."
    if rnd.random() < 0.1:
        words.append(f"The full [report](https://example.org/reports/{rnd.randint(1000, 9999)}) runs to {rnd.randint(40, 400)} pages.")
    return " ".join(words)


def body(rnd):
    blocks = []
    target_words = rnd.randint(500, 1300)
    words = 0
    while words < target_words:
        roll = rnd.random()
        if roll < 0.06 and blocks:
            block = f"## {rnd.choice(SUBHEADS)}"
        elif roll < 0.1:
            block = f"> {rnd.choice(QUOTES)}"
        elif roll < 0.13:
            block = "\n".join(f"- {sentence(rnd)}" for _ in range(rnd.randint(3, 5)))
        else:
            block = paragraph(rnd)
        blocks.append(block)
        words += len(block.split())
    return "\n\n".join(blocks) + "\n"


def headline(rnd):
    text = f"{rnd.choice(ACTORS)} {rnd.choice(ACTIONS)} {rnd.choice(THINGS)} in {rnd.choice(PLACES)}"
    return text[0].upper() + text[1:]


def yaml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article(rnd, index, start, span_seconds, staff):
    published = start + datetime.timedelta(seconds=rnd.randrange(span_seconds))
    authors = rnd.sample(staff, 2 if rnd.random() < 0.12 else 1)
    tags = rnd.sample(TAGS, rnd.randint(2, 5))
    title = headline(rnd)
    return "\n".join([
        "---",
        f"title: {yaml_string(title)}",
        f"dek: {yaml_string(sentence(rnd))}",
        "author: [" + ", ".join(yaml_string(a) for a in authors) + "]",
        f"date: {published.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"section: {rnd.choice(SECTIONS)}",
        "tags: [" + ", ".join(yaml_string(t) for t in tags) + "]",
        f"slug: {slug(title)}-{index}",
        "---",
        body(rnd),
    ])


def slug(text):
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:60].strip("-")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, required=True, help="number of articles")
    parser.add_argument("--out", required=True, help="folder to write NNNNN.md files into (created)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    if args.count < 1:
        sys.exit("--count must be at least 1")

    rnd = random.Random(args.seed)
    staff = sorted({f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}" for _ in range(60)})[:40]
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    span = int((datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) - start).total_seconds())
    os.makedirs(args.out, exist_ok=True)
    total = 0
    for i in range(1, args.count + 1):
        text = article(rnd, i, start, span, staff)
        total += len(text.encode("utf-8"))
        with open(os.path.join(args.out, f"{i:05d}.md"), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"Wrote {args.count} articles ({total // args.count} bytes of Markdown on average) to {args.out}")


if __name__ == "__main__":
    main()
