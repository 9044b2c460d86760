#!/usr/bin/python3
"""A small library catalogue stored with stdnetd's ODM commands (see docs/ODM.md).

Two models with a foreign key:
  lib.author  Author: name (unique index), country (index), born
  lib.book    Book, sorted by publication year (the idset is a zset, score = year):
              title, author (index, foreign key -> lib.author), genre (index),
              prequel (index, foreign key -> lib.book), and a structure field "tags" (a set)

The program commits instances, filters and excludes, loads sorted pages with their related authors
and tags, and deletes with the cascade (ODM.AGGREGATE + ODM.DELETE), printing what it does.

Usage: odm_example.py [port]   (default: $STDNET_PORT, else 6380; stdnetd on 127.0.0.1)
It starts by deleting what a previous run left in lib.author and lib.book.
"""
import json
import os
import sys

import redis

AUTHOR = "lib.author"
BOOK = "lib.book"

# The model descriptions (meta) that every ODM command takes: ODM.md section 2.
AUTHOR_META = json.dumps({
    "id_name": "id", "id_type": 1,  # auto-increment integer ids
    "sorted": False, "autoincr": None, "multi_fields": [],
    "indices": {"name": True, "country": False},  # true: unique index
})
BOOK_META = json.dumps({
    "id_name": "id", "id_type": 1,
    "sorted": True, "autoincr": False,  # ordered by a score: the publication year
    "multi_fields": ["tags"],  # structure field lib.book:obj:<id>:tags, deleted with the book
    "indices": {"author": False, "genre": False, "prequel": False},
})

TMP_TTL = 60  # query results live under <model>:tmp: with a TTL, as stdnet does


def record(fields, id="", score=""):
    """One ODM.COMMIT record: action prev_id id score n field value ... (a new instance)."""
    flat = [x for item in fields.items() for x in item]
    return ["add", "", id, score, len(flat), *flat]


def commit(r, model, meta, records):
    args = [x for rec in records for x in rec]
    return r.execute_command("ODM.COMMIT", model, meta, len(records), *args)


def query(r, dest, model, meta, field, *lookups):
    """ODM.QUERY into dest (a tmp key with a TTL); returns its cardinality."""
    n = r.execute_command("ODM.QUERY", dest, model, meta, field, *lookups)
    r.expire(dest, TMP_TTL)
    return n


def load(r, key, model, meta, **options):
    return r.execute_command("ODM.LOAD", key, model, meta, json.dumps(options))


def rng(operand, nested=()):
    """The value of a range lookup (gt ge lt le startswith … icontains): [operand, nested]."""
    return json.dumps([operand, list(nested)])


AUTHOR_NAME = {"author": {"field": "author", "type": "", "bk": AUTHOR, "fields": ["name"]}}
WITH_TAGS = {"tags": {"field": "tags", "type": "set"}}


def show_books(title, reply):
    """Print the rows of an ODM.LOAD of books with fields [title, year] and related author names."""
    rows, related = reply
    authors = {}
    tags = {}
    for name, items, _fields in related:
        if name == "author":
            authors = {rid: values[0] for rid, values in items}
        elif name == "tags":
            tags = {bid: sorted(members) for bid, members in items}
    print(title)
    if not rows:
        print("    (none)")
    for bid, (book_title, year, author_id) in rows:
        line = f"    #{bid} {year} {book_title} — {authors.get(author_id, '?')}"
        if tags.get(bid):
            line += f" [{', '.join(tags[bid])}]"
        print(line)


def main():
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("STDNET_PORT", "6380"))
    r = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)

    # ---- start from an empty library: delete every instance (the idset is a key of ids) and the
    # auto-id counters, which survive the deletion of the instances.
    r.execute_command("ODM.DELETE", BOOK + ":id", BOOK, BOOK_META)
    r.execute_command("ODM.DELETE", AUTHOR + ":id", AUTHOR, AUTHOR_META)
    r.delete(AUTHOR + ":ids", BOOK + ":ids")

    # ---- commit: one ODM.COMMIT per batch, one [id, 1, score] or [id, 0, message] per record
    print("== commit")
    reply = commit(r, AUTHOR, AUTHOR_META, [
        record({"name": "Tolkien", "country": "UK", "born": "1892"}),
        record({"name": "Le Guin", "country": "US", "born": "1929"}),
        record({"name": "Pratchett", "country": "UK", "born": "1948"}),
        record({"name": "Herbert", "country": "US", "born": "1920"}),
        record({"name": "Tolkien", "country": "ZA"}),  # violates the unique index on name
    ])
    author = {}
    for (aid, ok, detail), name in zip(reply, ["Tolkien", "Le Guin", "Pratchett", "Herbert",
                                               "Tolkien (again)"]):
        if ok:
            author[name] = str(aid)
            print(f"  author #{aid} {name}")
        else:
            print(f"  author {name} refused: {detail}")

    def book(title, who, genre, year, **extra):
        return record({"title": title, "author": author[who], "genre": genre, "year": str(year),
                       **extra}, score=str(year))

    reply = commit(r, BOOK, BOOK_META, [
        book("The Hobbit", "Tolkien", "fantasy", 1937),
        book("A Wizard of Earthsea", "Le Guin", "fantasy", 1968),
        book("The Left Hand of Darkness", "Le Guin", "sf", 1969),
        book("The Colour of Magic", "Pratchett", "fantasy", 1983),
        book("Dune", "Herbert", "sf", 1965),
    ])
    ids = {title: str(bid) for (bid, _, _), title in zip(reply, [
        "The Hobbit", "A Wizard of Earthsea", "The Left Hand of Darkness", "The Colour of Magic",
        "Dune"])}
    # Sequels point at their prequel: a self-referencing foreign key.
    reply = commit(r, BOOK, BOOK_META, [
        book("The Fellowship of the Ring", "Tolkien", "fantasy", 1954, prequel=ids["The Hobbit"]),
        book("Dune Messiah", "Herbert", "sf", 1969, prequel=ids["Dune"]),
    ])
    ids["The Fellowship of the Ring"], ids["Dune Messiah"] = (str(x[0]) for x in reply)
    reply = commit(r, BOOK, BOOK_META, [
        book("The Two Towers", "Tolkien", "fantasy", 1954,
             prequel=ids["The Fellowship of the Ring"]),
    ])
    ids["The Two Towers"] = str(reply[0][0])
    print(f"  {len(ids)} books committed, ids {', '.join(sorted(ids.values(), key=int))}")

    # Structure fields are ordinary keys, written with ordinary commands.
    r.sadd(f"{BOOK}:obj:{ids['The Hobbit']}:tags", "dragons", "classic")
    r.sadd(f"{BOOK}:obj:{ids['Dune']}:tags", "desert", "classic")

    fields = ["title", "year", "author"]

    # ---- filter and exclude
    print("== queries")
    query(r, "lib.book:tmp:fantasy", BOOK, BOOK_META, "genre", "value", "fantasy")
    query(r, "lib.book:tmp:tolkien", BOOK, BOOK_META, "author", "value", author["Tolkien"])
    # exclude = a set difference of two query results (the book model is sorted: zsets)
    r.zdiffstore("lib.book:tmp:fantasy-not-tolkien",
                 ["lib.book:tmp:fantasy", "lib.book:tmp:tolkien"])
    r.expire("lib.book:tmp:fantasy-not-tolkien", TMP_TTL)
    show_books("fantasy, excluding Tolkien:",
               load(r, "lib.book:tmp:fantasy-not-tolkien", BOOK, BOOK_META, ordering="ASC",
                    fields=fields, related=AUTHOR_NAME))

    # a filter on a related model: the authors from the UK, then their books (a `set` lookup)
    query(r, "lib.author:tmp:uk", AUTHOR, AUTHOR_META, "country", "value", "UK")
    query(r, "lib.book:tmp:uk", BOOK, BOOK_META, "author", "set", "lib.author:tmp:uk")
    show_books("by authors from the UK:",
               load(r, "lib.book:tmp:uk", BOOK, BOOK_META, ordering="ASC", fields=fields,
                    related=AUTHOR_NAME))

    # range lookups (no index needed): published in the 1960s
    query(r, "lib.book:tmp:sixties", BOOK, BOOK_META, "year", "ge", rng(1960), "lt", rng(1970))
    show_books("published in the 1960s:",
               load(r, "lib.book:tmp:sixties", BOOK, BOOK_META, ordering="ASC", fields=fields,
                    related=AUTHOR_NAME))

    # through the foreign key: books whose author's name starts with "le" (any case)
    query(r, "lib.book:tmp:le", BOOK, BOOK_META, "name", "istartswith",
          rng("le", ["author", AUTHOR]))
    show_books("by an author whose name starts with 'le':",
               load(r, "lib.book:tmp:le", BOOK, BOOK_META, ordering="ASC", fields=fields,
                    related=AUTHOR_NAME))

    # ---- sorted pages: newest first, 3 books a page, with related authors and tags
    print("== pages (newest first)")
    total = r.zcard(BOOK + ":id")
    for page, start in enumerate(range(0, total, 3), 1):
        reply = load(r, BOOK + ":id", BOOK, BOOK_META, ordering="DESC", start=start,
                     stop=start + 2, fields=fields, related={**AUTHOR_NAME, **WITH_TAGS})
        show_books(f"page {page}:", reply)
    # an explicit sort on a related model's field: by the author's year of birth (a numeric sort;
    # equal values come in id order), the first 4
    reply = load(r, BOOK + ":id", BOOK, BOOK_META, ordering="explicit",
                 order={"field": "author", "nested": [AUTHOR, "born"]},
                 start=0, stop=4, fields=fields, related=AUTHOR_NAME)
    show_books("sorted by the author's year of birth (first 4):", reply)

    # ---- delete with the cascade
    print("== delete")
    # "The Hobbit" and every book continuing it, recursively (prequel is self-referencing)
    query(r, "lib.book:tmp:del", BOOK, BOOK_META, "id", "value", ids["The Hobbit"])
    r.execute_command("ODM.AGGREGATE", "lib.book:tmp:del", BOOK, BOOK_META, "prequel")
    deleted = r.execute_command("ODM.DELETE", "lib.book:tmp:del", BOOK, BOOK_META)
    print(f"  deleted The Hobbit and its sequels: books {', '.join(sorted(deleted, key=int))}")
    # author Herbert, their books and the sequels of those
    query(r, "lib.author:tmp:del", AUTHOR, AUTHOR_META, "name", "value", "Herbert")
    query(r, "lib.book:tmp:del2", BOOK, BOOK_META, "author", "set", "lib.author:tmp:del")
    r.execute_command("ODM.AGGREGATE", "lib.book:tmp:del2", BOOK, BOOK_META, "prequel")
    books = r.execute_command("ODM.DELETE", "lib.book:tmp:del2", BOOK, BOOK_META)
    authors = r.execute_command("ODM.DELETE", "lib.author:tmp:del", AUTHOR, AUTHOR_META)
    print(f"  deleted author {', '.join(authors)} (Herbert) and books "
          f"{', '.join(sorted(books, key=int))}")
    show_books("left:", load(r, BOOK + ":id", BOOK, BOOK_META, ordering="ASC", fields=fields,
                             related=AUTHOR_NAME))

    # query results are scratch keys: drop them now rather than wait for their TTL
    tmp = r.keys("lib.*:tmp:*")
    if tmp:
        r.delete(*tmp)
    print(f"== done: {r.scard(AUTHOR + ':id')} authors, {r.zcard(BOOK + ':id')} books")
    return 0


if __name__ == "__main__":
    sys.exit(main())
