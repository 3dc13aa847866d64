"""What each diagnostic code means and how to fix it: the one table `spanvero explain` prints.

The README's diagnostics table is rendered from here (`markdown_table`), and a test holds the
two equal and checks that every code the source can emit has an entry, so the docs, the command
and the build never disagree (the `rustc --explain` habit).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    """One diagnostic code: its one-line meaning, the long story, and a fix to copy."""

    code: str
    meaning: str
    details: str
    bad: str = ""
    fixed: str = ""

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"


def _e(code: str, meaning: str, details: str, bad: str = "", fixed: str = "") -> Explanation:
    return Explanation(
        code, meaning, textwrap.dedent(details).strip(), textwrap.dedent(bad).strip(),
        textwrap.dedent(fixed).strip(),
    )  # fmt: skip


EXPLANATIONS: tuple[Explanation, ...] = (
    _e(
        "E101",
        "file cannot be read, is not valid UTF-8, or holds a NUL or an invisible line break",
        """
        A source file (or content/site.yaml) is missing, unreadable, or contains bytes that are
        not UTF-8, or a NUL byte (which no text file holds: Markdown would show it as a
        replacement character). Every source is read as UTF-8 so that the same file builds the
        same page on every machine. Re-save the file as UTF-8 (most editors offer "Save with
        encoding"). Line breaks may be \\n, \\r\\n or a lone \\r; each counts as one line.
        The invisible characters U+0085 (next line), U+2028 (line separator) and U+2029
        (paragraph separator) are refused: YAML counts each as a line break while Markdown and
        most editors show nothing, so the lines reported in the file would disagree.
        """,
        "(a file saved as Latin-1 or UTF-16)",
        "(the same file saved as UTF-8, without a byte-order mark)",
    ),
    _e(
        "E102",
        "the output cannot be written (disk full, no permission)",
        """
        Every check passed, but writing the output folder failed: the disk is full, the folder's
        parent is not writable, or a file in the way is read-only. The previous output is left
        as it was. Free some space or choose a writable folder with --out.
        """,
        "spanvero build --out /readonly/site",
        "spanvero build --out ./_site",
    ),
    _e(
        "E104",
        "a source that leaves the site folder, or a symbolic link to a folder",
        """
        Nothing outside the site root is read into the output, so a symbolic link in content/,
        templates/ or static/ whose target lies outside the site folder is refused rather than
        followed. A symbolic link to a folder is refused too, wherever it points: the build
        lists and fingerprints folders without following such links, so a file read through
        one could change unseen. Copy the file (or move the folder) into the site instead.
        """,
        "content/learn/notes.md -> /home/me/private/notes.md",
        "cp /home/me/private/notes.md content/learn/notes.md",
    ),
    _e(
        "E201",
        "no front-matter (or it is not closed)",
        """
        A Markdown page must start with YAML front-matter between two lines of three dashes:
        `---` on the very first line, the keys, then `---` again before the body. Without it
        the page has no title or answer to show.
        """,
        """
        # What is LoRA?
        LoRA trains a small adapter...
        """,
        """
        ---
        title: What is LoRA?
        answer: A cheap way to fine-tune: train small adapter matrices, not the whole model.
        date: 2026-11-28
        ---
        LoRA trains a small adapter...
        """,
    ),
    _e(
        "E202",
        "malformed YAML",
        """
        The front-matter or data file is not valid YAML; the position is where the parser
        gave up, which is often just after the real mistake, except for a quote, `[` or `{`
        left open: that is reported where it was opened, with the line where the parser gave
        up. Common causes: a colon followed by a space inside an unquoted value, a tab used
        for indentation, an unclosed quote or bracket. Quote values that contain `: `, `#` or
        start with a special character.
        Also refused: a duplicate key, an alias or merge key (`*name`, `<<`) in front-matter,
        aliases that expand a data file by more than 100,000 values, and any tag (`!!set`,
        `!!binary`, `!!timestamp`, `!name`): a source holds only plain values.
        """,
        "title: LoRA: what is it?",
        'title: "LoRA: what is it?"',
    ),
    _e(
        "E203",
        "a value has the wrong type or unit (e.g. `params_b: 8B`)",
        """
        A key holds a value of the wrong kind: text where a number is expected, a single word
        where a list is expected, a unit written into a number. Numbers carry their unit in
        the key's name (`params_b` is billions of parameters, `vram_gb` is GiB), so write the
        bare number. Values are read as YAML 1.2 reads them: only `true` and `false` are
        booleans, so `draft: no` is text where true or false is expected (write
        `draft: false`), and a note `off` is the text it looks like. The hint shows the
        expected form.
        """,
        "params_b: 8B\ntags: fine-tuning",
        "params_b: 8\ntags: [fine-tuning]",
    ),
    _e(
        "E204",
        "a required key is missing",
        """
        A key every file of this kind must have is absent: an explainer needs `title`,
        `answer` and `date`; a model, GPU or price needs its figures and their `source` and
        `as_of`. The hint shows an example line to add.
        """,
        "title: What is LoRA?\ndate: 2026-11-28",
        "title: What is LoRA?\nanswer: A cheap way to fine-tune a model.\ndate: 2026-11-28",
    ),
    _e(
        "W205",
        'unknown key (with "did you mean")',
        """
        A key that nothing reads, usually a misspelling of one that is read, so its value
        would be silently ignored. Fix the spelling the hint suggests, or remove the key.
        """,
        "relatd: [lora]",
        "related: [lora]",
    ),
    _e(
        "E206",
        "not a real date",
        """
        Dates are written YYYY-MM-DD and must exist in the calendar (no 2026-02-30). Dates
        decide feed order, the sitemap and how old a price is, so a wrong one misleads.
        """,
        "date: 2026-02-30",
        "date: 2026-02-28",
    ),
    _e(
        "E207",
        "a file name that is not a valid slug, or is one the learn section uses itself",
        """
        An explainer's file name is its URL: lowercase letters, digits and hyphens only, then
        `.md`, and not `tags` (/learn/tags/ is the index of tags). Rename the file; to keep an
        old URL working, list it under `aliases:`.
        """,
        "content/learn/What_Is_RAG.md",
        "content/learn/what-is-rag.md",
    ),
    _e(
        "E208",
        "a value outside its allowed set (topic, tag, alias, an id that is not a slug)",
        """
        A value must be one of a known set or follow a fixed shape: `topic:` must be a topic
        id from site.yaml, a tag must be a slug, an id must be lowercase letters, digits and
        hyphens. An alias must be a plain site path that starts and ends with `/`: no `..`,
        no empty or hidden segments, no whitespace or control characters, no `?`, `#` or
        %-escaped separators, so it can never be written outside the output folder or inject
        a line into `_redirects`.
        """,
        "topic: adaptng\naliases: [learn/old-name]",
        "topic: adapting\naliases: [/learn/old-name/]",
    ),
    _e(
        "E209",
        "a number or URL outside its allowed range (e.g. a negative count)",
        """
        The value has the right type but an impossible size or form: a count that is zero or
        negative, a fraction above 1, a price below zero, a source that is not an http(s)
        URL. The message names the range the key accepts.
        """,
        "experts: 0\nsource: huggingface.co/openai/gpt-oss-20b",
        "experts: 32\nsource: https://huggingface.co/openai/gpt-oss-20b",
    ),
    _e(
        "E210",
        "a file or folder in content/learn/ that is not read (a `.MD` file, a subfolder)",
        """
        Explainers are the `.md` files directly inside content/learn/. A file whose name ends
        in `.MD` (or `.Md`) or a subfolder would otherwise be skipped without a word, and the
        page an editor expects would silently be missing. Rename the file to end in `.md`, or
        move the subfolder's files up a level.
        """,
        "content/learn/drafts/lora.md\ncontent/learn/QLoRA.MD",
        "content/learn/lora.md\ncontent/learn/qlora.md",
    ),
    _e(
        "W211",
        "a file or folder under content/ that nothing reads",
        """
        Every section declares what it reads: explainers are the `.md` files directly in
        content/learn/, models the `.yaml` files directly in content/models/, and the other
        sources are named files (content/site.yaml, content/index.md, content/calculator.md,
        content/data/gpus.yaml, ...). Anything else under content/ is never published, which
        usually means a wrong extension (`.yml`, `.YAML`, `.markdown`), a subfolder, or a file
        in the wrong place. The hint names what would be read. Hidden files (starting with a
        dot) are left alone; keep notes and backups outside content/.
        """,
        "content/models/llama-3-1-8b.yml\ncontent/about.md",
        "content/models/llama-3-1-8b.yaml\ncontent/learn/about.md",
    ),
    _e(
        "W212",
        "`updated:` earlier than `date:`",
        """
        `date` is the day an explainer was first published and `updated` the day of its last
        real change, so `updated` cannot come before `date`. Readers see both, and the feed
        and the sitemap order pages by them. Usually one of the two was mistyped; fix it, or
        remove `updated` if the page has not changed since.
        """,
        "date: 2026-11-20\nupdated: 2026-11-02",
        "date: 2026-11-02\nupdated: 2026-11-20",
    ),
    _e(
        "W213",
        "a date in the future",
        """
        An explainer's `date` or `updated` lies more than a day after the day of the build
        (today in UTC, or SOURCE_DATE_EPOCH when set; a day of slack for editors east of
        UTC). The page would tell readers, the feed and the sitemap that it was written or
        changed on a day that has not come yet. Write the real day.
        """,
        "date: 2099-01-01",
        "date: 2026-11-28",
    ),
    _e(
        "E214",
        "a published explainer that still holds the text `spanvero new` left in it",
        """
        `spanvero new learn` writes two instructions into a draft: one in `answer:` and one in
        the body. They are for the editor, not the reader, so a page that is no longer a draft
        must not contain them. Write the answer and the body in their place, or put
        `draft: true` back until they are written.
        """,
        "answer: >-\n  Write the honest short answer here, in one to three sentences.",
        "answer: >-\n  One H100 rented for one hour: about $2 to $4 on demand.",
    ),
    _e(
        "W214",
        "a draft that still holds the text `spanvero new` left in it",
        """
        The draft's answer or body still contains an instruction `spanvero new learn` wrote
        for the editor. A draft is still being written, so this is a warning (an error, E214,
        once `draft: true` is removed); `check --strict --drafts` passes when both are
        replaced with the explainer's own text.
        """,
        "Explain the reasoning here, with concrete numbers where they help.",
        "An H100 on demand costs $2 to $4 an hour; a month of it is about $2,000.",
    ),
    _e(
        "W215",
        "an explainer longer than 1,000,000 characters",
        """
        An explainer's file holds more than a million characters (about 1 MB), a hundred times
        a long explainer. Such a page is slow to build (Markdown parsing grows with its length:
        a 6 MB explainer took 45 seconds to check), slow to load, and too long to read. Split
        it into shorter explainers on one question each, and name them in each other's
        `related:`.
        """,
        "content/learn/everything-about-gpus.md   (3 MB)",
        "content/learn/gpu-memory.md, content/learn/gpu-bandwidth.md, ...   (each a few KB)",
    ),
    _e(
        "E301",
        "two sources would write the same output path, one needs another's file as a folder, "
        "or one is inside /search-index/",
        """
        Two inputs claim one URL: an explainer and a generated page (e.g. content/learn/tags.md
        against /learn/tags/), two aliases, or an alias that names a real page or a file in
        static/ (`/static/guide/` against static/guide/index.html). An alias such as
        `/sitemap.xml/` clashes too: it needs the generated file sitemap.xml to be a
        folder, and so does any address inside /search-index/, which the search index writes
        whole after the pages. The build refuses rather than let one silently overwrite the
        other. Rename one file or drop the alias.
        """,
        "content/learn/tags.md   (wants /learn/tags/, the tag index)",
        "content/learn/tagging.md",
    ),
    _e(
        "E302",
        "unknown `related:` id, or an unknown id in a data file",
        """
        An id does not name anything that exists: a `related:` entry that is not an
        explainer's slug, a model (`models/<id>`), `models`, `calculator` or `learn`; a price
        for a GPU or model that is not in the catalog; an advisor rule naming an unknown
        question, option or approach. A draft is left out of a build without --drafts, and
        a reference to it says so. An id whose own file or record failed to load is not
        reported here: that file's error is the one to fix, and its hint lists the
        references that are checked once it loads.
        """,
        "related: [vram-basic]",
        "related: [vram-basics]",
    ),
    _e(
        "W303",
        "a page lists itself as related",
        """
        A page's Related list points readers elsewhere; listing the page itself wastes a slot.
        Remove its own slug from `related:`.
        """,
        "# in content/learn/lora.md\nrelated: [lora, qlora]",
        "related: [qlora, fine-tuning]",
    ),
    _e(
        "W304",
        "an item listed twice in a list of texts (`tags:`, `related:`, `aliases:`, ...)",
        """
        A page shows each tag and each related page once, and an alias redirects once, so a
        repeated item is a slip (often a merge of two edits). The same holds for every list of
        texts in front-matter, site.yaml and data files. The repeat is ignored; remove it.
        """,
        "tags: [memory, lora, memory]\nrelated: [lora, qlora, lora]",
        "tags: [memory, lora]\nrelated: [lora, qlora]",
    ),
    _e(
        "E303",
        "duplicate id in a data file",
        """
        Two entries of one data file share an id (two GPUs, two advisor questions, two price
        series for one provider and tier), so references to it would be ambiguous. Give one a
        new id, or merge them; a new price belongs in the existing series' history.
        """,
        "- id: rtx-4090\n  ...\n- id: rtx-4090",
        "- id: rtx-4090\n  ...\n- id: rtx-4090-laptop",
    ),
    _e(
        "E311",
        "a `figure` block that names no chart we can draw, or sits where none is drawn",
        """
        A fenced block marked `figure` in an explainer asks for a chart drawn at build time from
        the site's data. It must be a YAML mapping whose `chart:` names a chart the site offers
        (`cost-vs-volume`: monthly cost against monthly volume, the calculator's chart). A block
        that is not YAML, has no `chart:`, or names another chart is reported at its line;
        `spanvero explain E312` covers the chart's own inputs. Only explainers and the home page
        draw figures: a block in the calculator's intro or a model's notes is reported too,
        rather than left as an empty gap on the page.
        """,
        "```figure\nchart: cost-vs-volumes\nmodel: llama-3-1-8b\n```",
        "```figure\nchart: cost-vs-volume\nmodel: llama-3-1-8b\n```",
    ),
    _e(
        "E312",
        "a `figure` block's input is unknown or out of range (e.g. an unknown model or GPU id)",
        """
        The inputs of a `cost-vs-volume` figure are the calculator's, by the names of its
        scenario: `model` (required) and `gpu` (ids from content/models/ and gpus.yaml),
        `precision`, `input_mtok`, `output_mtok`, `context`, `concurrency`, `kv_type`, `gpus`,
        `hours_per_day`, `usd_per_kwh`, `hardware_usd`, `amortization_months`, `tier`,
        `billing`; `caption:` replaces the chart's own caption. Left out, an input takes the
        calculator's default. An unknown id, an unknown key or a value outside the range the
        calculator's form accepts is reported at its line, with the nearest known id; so is a
        GPU with no price as your own (it can only be rented: see E715, or set `gpus: 0`).
        """,
        "```figure\nchart: cost-vs-volume\nmodel: llama-3-8b\ngpu: rtx4090\n```",
        "```figure\nchart: cost-vs-volume\nmodel: llama-3-1-8b\ngpu: rtx-4090\n```",
    ),
    _e(
        "E401",
        "broken internal link or image",
        """
        A link in a body (or nav, or a data file's notes) points at a page of this site that
        will not exist: a typo in the URL, a renamed explainer, a Markdown file that is a
        draft (the message says so). Link by URL (`/learn/lora/`) or by source file
        (`lora.md`); both are checked. A link to a page that could not be made because its
        source failed is not reported: that source's error is the one to fix. An image's
        source must be a file the site serves: put it under static/ and write its path from
        the site root (`/static/img/lora.png`).
        """,
        "[LoRA](/learn/lorra/)",
        "[LoRA](/learn/lora/)  or  [LoRA](lora.md)",
    ),
    _e(
        "E402",
        "broken `#anchor`",
        """
        The page exists but has no heading with that anchor. A heading's anchor is its text in
        lowercase, punctuation dropped, spaces as hyphens; repeated headings get -1, -2. Use
        the anchor the hint suggests, or rename the heading.
        """,
        "[rank](/learn/lora/#choosing-the-rank)   (heading: ## Choosing rank)",
        "[rank](/learn/lora/#choosing-rank)",
    ),
    _e(
        "E403",
        "Markdown the page would lose or show as written: nesting too deep, a broken footnote, "
        "or a link to a URL that is not allowed",
        """
        Markdown that the parser accepts without complaint but that would not reach the reader
        as written. Lists nested more than 10 levels deep (quotes and notes, 20): the parser
        stops there and drops the rest of the block, often the rest of the file. A footnote
        reference `[^x]` with no definition shows as that literal text; a footnote defined
        twice shows only its last definition; one defined but never referenced is not shown.
        A link, image or link definition to a `javascript:`, `vbscript:`, `file:` or `data:`
        URL (a `data:` image may be a GIF, PNG, JPEG or WebP) is never made a link, as such a
        URL can run code or open the reader's own files: the page would show the Markdown
        `[text](javascript:...)` as plain text.
        """,
        "A claim.[^src]   (no line '[^src]: ...' anywhere in the file)",
        "A claim.[^src]\n\n[^src]: Vendor, Datasheet, 2026.",
    ),
    _e(
        "W404",
        "raw HTML that would show as text, as the site's Markdown does not render HTML",
        """
        With `markdown: allow_html: false` in site.yaml (the default), HTML in a body is not
        rendered: a reader sees `<kbd>Ctrl</kbd>` or an editor's `<!-- note -->` as those very
        characters. Each paragraph, heading or table cell that holds a tag or comment is
        reported once, at its first. Write it in Markdown instead; to show a tag as code, put
        it in backticks (or write `\\<`); or allow HTML in site.yaml, if every author of the
        site is trusted to write it.
        """,
        "Press <kbd>Enter</kbd> to send.",
        "Press **Enter** to send.   or   Type `<kbd>` for a key.",
    ),
    _e(
        "W405",
        "an image without alt text, a link without text or address, or a heading that skips a "
        "level",
        """
        What a reader using a screen reader or a keyboard cannot use. An image with empty
        brackets has no alt text, so nothing says what it shows; a link with empty brackets
        has nothing to read out but its address; a link with empty parentheses leads back to
        the same page. A heading more than one level below the one before it (`##` then
        `####`) leaves a gap in the outline such readers move through. The page still builds;
        the warning says where to fill the gap.
        """,
        "![](/static/img/cost-by-month.png)",
        "![Monthly cost of an 8B model on each GPU](/static/img/cost-by-month.png)",
    ),
    _e(
        "E501",
        "template syntax error",
        """
        A Jinja template under templates/ does not parse: an unclosed `{% if %}` or `{{`, a
        misspelled tag. The line is the template's own; a block left open (an `{% if %}`
        without its `{% endif %}`) is reported at the line that opened it, with the line where
        Jinja gave up waiting for its end.
        """,
        "{% if page.updated %}updated {{ page.updated }}",
        "{% if page.updated %}updated {{ page.updated }}{% endif %}",
    ),
    _e(
        "E502",
        "undefined template variable",
        """
        A template uses a name its page context does not provide. Undefined names are errors,
        not empty strings, so a typo cannot blank part of every page. Each template's context is
        typed; use a name it declares.
        """,
        "{{ page.tittle }}",
        "{{ page.title }}",
    ),
    _e(
        "E503",
        "other template error, or a missing template",
        """
        Rendering failed for another reason: a template that does not exist (reported at the
        extends or include that names it), templates that include, extend or import each
        other in a loop (reported once, at the line that leads on from the loop's first
        template, before any page is rendered into it), a filter applied to the wrong kind of
        value, an exception inside a template expression, or a date's `strftime`, whose month
        names and `%-d` depend on the machine (use `|day`).
        """,
        '{% include "partials/foter.html" %}',
        '{% include "partials/footer.html" %}',
    ),
    _e(
        "W601",
        "title longer than `checks.max_title_chars`",
        """
        The title is the question a reader scans in lists and search results; past about 90
        characters it wraps and gets cut. Ask it in fewer words and put the detail in the
        answer. The limit is `checks.max_title_chars` in site.yaml.
        """,
        "title: What is the difference between LoRA, QLoRA and full fine-tuning for a 70B model?",
        "title: LoRA, QLoRA or full fine-tuning?",
    ),
    _e(
        "W602",
        "answer longer than `checks.max_answer_chars`",
        """
        The answer is shown first and used as the page's description: one to three sentences
        that answer the question. Move explanation into the body. The limit is
        `checks.max_answer_chars` in site.yaml.
        """,
        "answer: (six sentences of background before the answer)",
        "answer: Usually not: start with prompting and retrieval, which cost nothing to change.",
    ),
    _e(
        "W603",
        "fewer related pages than `checks.min_related`",
        """
        Every explainer offers readers somewhere to go next. List at least `checks.min_related`
        ids under `related:`: explainers, models, `calculator`. `spanvero new learn` fills in
        the best candidates for a new page.
        """,
        "related: []",
        "related: [lora, fine-tuning]",
    ),
    _e(
        "W604",
        "orphan: no other explainer links to the page",
        """
        No published explainer lists this page in `related:` or links to it from a body, so a
        reader can only find it through lists and search. Add its slug to the `related:` of a
        page on the same subject. Drafts are not judged: a published page cannot link to a
        draft, so do this when you publish it. While an explainer fails to load, or lists a
        `related:` id that names nothing (E302), no page is judged (the failed page, or the
        misspelled id, may be what links to it); that file's error says so.
        """,
        "# content/learn/qlora.md exists, nothing points at it",
        "# in content/learn/lora.md\nrelated: [fine-tuning, qlora]",
    ),
    _e(
        "W605",
        "a tag used by one page only",
        """
        A tag page with one entry helps nobody and usually means a near-duplicate of a tag in
        use (`finetuning` next to `fine-tuning`). Use an existing tag, or tag a second page.
        While an explainer fails to load, no tag is judged (the failed page may carry it too);
        that file's error says so.
        """,
        "tags: [finetuning]",
        "tags: [fine-tuning]",
    ),
    _e(
        "W606",
        "an explainer with no body",
        """
        Below its front-matter an explainer explains: how the short answer follows, the numbers
        behind it, what to do next. A published page with nothing below the closing `---` shows
        a title and one or two sentences, which reads as a broken page. Write the body, or keep
        the page a draft (`draft: true`) until it is written; drafts are not judged.
        """,
        "---\ntitle: What is LoRA?\nanswer: A cheap way to fine-tune.\n---\n",
        "---\ntitle: What is LoRA?\nanswer: A cheap way to fine-tune.\n---\nLoRA trains ...",
    ),
    _e(
        "W607",
        "two explainers ask the same question",
        """
        Another explainer, dated earlier, already has this title, compared without case and
        punctuation ("What is a GPU-hour?" and "what is a GPU hour" are one question). Readers
        would find two pages, two search results and two feed entries under one question, each
        half the answer. Merge the later page into the earlier one and add its old address to
        the earlier page's `aliases:`, or ask a different question. `spanvero new learn` says
        so before it writes the file.
        """,
        "# content/learn/vram.md\ntitle: How much VRAM do I need?\n"
        "# content/learn/vram-needed.md\ntitle: How much VRAM do I need",
        "# content/learn/vram.md\ntitle: How much VRAM do I need?\naliases: [/learn/vram-needed/]",
    ),
    _e(
        "E701",
        "`active_params_b` larger than `params_b`, more experts per token than experts, or "
        "some of the MoE fields missing",
        """
        A mixture-of-experts model states its total parameters (`params_b`), those active per
        token (`active_params_b`), its number of `experts` and how many of them each token
        uses (`experts_per_token`): all three MoE fields or none (a dense model). The active
        count cannot exceed the total, nor the experts per token the experts. Take them from
        the model's config.json and card.
        """,
        "params_b: 3.6\nactive_params_b: 21",
        "params_b: 21\nactive_params_b: 3.6\nexperts: 32\nexperts_per_token: 4",
    ),
    _e(
        "E702",
        "`kv_heads` does not divide `attention_heads`",
        """
        In grouped-query attention each KV head serves an equal group of query heads, so
        `attention_heads` must be a multiple of `kv_heads`. A mismatch is almost always a
        copied figure; read both from config.json (`num_attention_heads`,
        `num_key_value_heads`).
        """,
        "attention_heads: 32\nkv_heads: 6",
        "attention_heads: 32\nkv_heads: 8",
    ),
    _e(
        "E704",
        "a model's `id` does not match its file name",
        """
        A model's URL comes from its file name, and other files refer to it by `id`; the two
        must be equal so both mean the same model. Rename the file or fix the id.
        """,
        "# content/models/llama-3-1-8b-copy.yaml\nid: llama-3-1-8b",
        "# content/models/llama-3-1-8b.yaml\nid: llama-3-1-8b",
    ),
    _e(
        "E705",
        "computed Q4_K_M weights off the published GGUF file size by more than ±10%",
        """
        The catalog checks its own inputs: the Q4_K_M weights computed from `params_b` are
        compared with the published size of the model's GGUF file. More than 10% apart
        usually means a wrong parameter count, or a file size copied from another model or
        quantization. File sizes on Hugging Face are decimal GB; write them as shown there.
        """,
        "params_b: 80\ngguf_q4_k_m: {file_gb: 4.92, source: ...}",
        "params_b: 8.03\ngguf_q4_k_m: {file_gb: 4.92, source: ...}",
    ),
    _e(
        "E706",
        "attention fields that do not fit the attention kind (e.g. MLA without `kv_lora_rank`)",
        """
        The KV-cache formula depends on the attention kind, so each kind needs its own fields:
        `full` has as many `kv_heads` as `attention_heads` and `gqa` fewer; `sliding-window`
        needs `sliding_window` and `sliding_window_layers`; `mla` needs `kv_lora_rank` and
        `rope_head_dim`. Fields of another kind must not be present.
        """,
        "attention: mla\nkv_heads: 128",
        "attention: mla\nkv_lora_rank: 512\nrope_head_dim: 64",
    ),
    _e(
        "W707",
        "a price (a GPU's street price, a rental, an API, electricity) last observed more than "
        "`checks.max_price_age_days` ago",
        """
        Prices move; a figure older than `checks.max_price_age_days` (365 by default) is shown
        with its date but may mislead. Check the source again and add a new dated observation
        to the history (never overwrite the old one). Ages count from today, or from
        SOURCE_DATE_EPOCH when set. An offer whose newest observation says it `ended` has no
        newer price to look up and is not warned about.
        """,
        "history:\n  - {as_of: 2024-06-01, usd_per_hour: ..., source: ...}",
        "history:\n  - {as_of: 2024-06-01, usd_per_hour: ..., source: ...}\n"
        "  - {as_of: <the day you checked>, usd_per_hour: <the price now>, source: ...}",
    ),
    _e(
        "E708",
        "a price that is not above zero",
        """
        A price of zero or below is a typo or a placeholder; a free tier is not a price for
        the cost comparisons. Enter the listed price, or leave the provider out.
        """,
        "usd_per_hour: 0",
        "usd_per_hour: <the price the source lists>",
    ),
    _e(
        "E709",
        "a day in a data file in the future",
        """
        Every day a data file records is when something happened or was read: a price's or
        a measurement's `as_of`, the day a price observation was `recorded` or an offer
        `ended`, a model's `released` and `as_of`, a GPU's `as_of` and its price's `date`.
        None can lie more
        than a day after the day of the build (today in UTC, or SOURCE_DATE_EPOCH when set; a
        day of slack for editors east of UTC, as for W213). A future date is usually a typo
        in the year or month.
        """,
        "as_of: 2027-11-02",
        "as_of: 2026-11-02",
    ),
    _e(
        "E710",
        "observations out of date order, or two on one date",
        """
        A price history is a list of observations, oldest first, one per date; the newest is
        the current price and each change is derived from neighbours. Put a new observation at
        the end; correct a wrong one in place rather than adding a second on the same date, and
        add `recorded:` with the day you correct it, so the weekly index tells its readers.
        """,
        "- {as_of: 2026-11-01, ...}\n- {as_of: 2026-10-01, ...}",
        "- {as_of: 2026-10-01, ...}\n- {as_of: 2026-11-01, ...}",
    ),
    _e(
        "E711",
        "a spot price above the same provider's on-demand price",
        """
        Spot capacity can be taken back at any time and is sold below on-demand; a spot price
        above it usually means the two tiers or two GPUs were swapped when copying.
        """,
        "# the series' tiers swapped: the dearer price filed under spot\ntier: spot",
        "# each price under the tier the provider's page names\ntier: on-demand",
    ),
    _e(
        "E712",
        "the advisor's placement list has no catch-all entry",
        """
        The advisor picks the first placement whose `when:` matches the reader's answers, so
        the list must end with `when: {}` to answer every combination.
        """,
        "placement:\n  - {when: {budget: [low]}, run: local, reason: ...}",
        "placement:\n  - {when: {budget: [low]}, run: local, reason: ...}\n"
        "  - {when: {}, run: cheapest, reason: ...}",
    ),
    _e(
        "E713",
        "a GPU price that does not say what it buys",
        """
        The calculator counts a GPU's price when the reader owns it, divided over the GPUs the
        money buys. So a price says in words what it buys (`buys`) and how many GPUs that is
        (`gpus`): a consumer card, a Mac, or for a datacenter card the card or the smallest
        server that holds it. A GPU with no public price has no `price:` at all and can only
        be rented (see E715).
        """,
        "price: {usd: 30000, kind: street, date: 2026-10-01, source: https://...}",
        "price: {usd: 30000, kind: street, date: 2026-10-01, source: https://...,\n"
        "        buys: one H100 SXM module, gpus: 1}",
    ),
    _e(
        "E714",
        "a count or size outside its domain in a data file",
        """
        Counts (GPUs in a rentable unit or a measurement, requests at once) are whole numbers
        of at least 1; sizes and throughputs are above zero; a measured context fits the
        model's context length; a tensor-parallel group is 1, 2, 4 or 8 GPUs, the ones the
        calculator models. A native release in a format without a bits-per-weight rule
        (MXFP4) needs its published `checkpoint.file_gb`, since nothing else can size it.
        """,
        "gpus: 0",
        "gpus: 8   # an 8-GPU instance that is only rented whole",
    ),
    _e(
        "E715",
        "a GPU with no price named as hardware the reader owns or buys",
        """
        A GPU without a dated price in gpus.yaml can only be rented: owning it would cost
        nothing in the calculator and could win as the cheapest answer. So it is left out of
        the calculator's choice of your own hardware, and it cannot be the calculator's
        default GPU (`calculator.default_gpu` in site.yaml), an advisor answer's hardware
        (`gpu:` of an option) or the GPU the advisor prices for buying (`gpu_to_buy`).
        """,
        "calculator:\n  default_gpu: h200   # no price in gpus.yaml",
        "calculator:\n  default_gpu: rtx-4090   # a launch price with its date and source",
    ),
    _e(
        "E716",
        "one provider id with two different `provider_name`s, or one name for two ids, in "
        "prices.yaml",
        """
        Pages and the calculator name a provider by its id, so an id shown under two names
        would label one product's offers with the other's name (a GPU cloud's rentals under
        its token API's brand, say). An id names one provider everywhere; a different product
        of the same company gets its own id, and its own name: two ids under one name would
        list two providers' prices as if they were one's.
        """,
        "- {model: ..., provider: nebius, provider_name: Nebius Token Factory}   # rentals: Nebius",
        "- {model: ..., provider: nebius-token-factory, provider_name: Nebius Token Factory}",
    ),
    _e(
        "W717",
        "a price that moves more than 4 times up or down from one observation to the next "
        "(a real move says `checked_move: true`)",
        """
        A price that jumps tenfold between two readings is more often a slip than news: a
        decimal point in the wrong place, a node of eight GPUs read as one GPU, a price per
        thousand tokens entered per million. The weekly price index would publish the move as
        it stands. Check the figure against its source; if it is right, add
        `checked_move: true` to the observation (`prices add --checked-move`).
        """,
        "- {as_of: 2026-09-01, usd_per_hour: 2.99, ...}\n"
        "- {as_of: 2026-11-01, usd_per_hour: 26.9, ...}",
        "- {as_of: 2026-09-01, usd_per_hour: 2.99, ...}\n"
        "- {as_of: 2026-11-01, usd_per_hour: 2.69, ...}",
    ),
    _e(
        "E718",
        "a sliding-window model whose `sliding_window` is not shorter than its `context_length`",
        """
        Sliding-window layers stop growing their KV cache at the window, which is why such a
        model is sized with its own formula. A window as long as the context, or longer,
        never slides: those layers cache the whole context like any other, and the page
        would describe a saving the model does not make. It usually means a value copied from
        a config that names a window it does not use (Qwen configs set `sliding_window` to the
        context length or more, with `use_sliding_window: false`).
        """,
        "attention: sliding-window\nsliding_window: 131072\ncontext_length: 131072",
        "attention: gqa   # no layer uses a shorter window",
    ),
    _e(
        "E719",
        "a price observation `recorded` before the day it holds for",
        """
        `recorded` is the day an observation was written into prices.yaml, when that was after
        its `as_of` (`prices add` writes it for a backfill or a late reading; add it by hand
        when you correct an old observation). The weekly price index dates a week's feed
        entry by it and tells readers the week was corrected, so it cannot come before the
        `as_of` it records: one of the two is mistyped.
        """,
        "- {as_of: 2026-11-02, usd_per_hour: 2.69, recorded: 2026-10-28, ...}",
        "- {as_of: 2026-10-28, usd_per_hour: 2.69, recorded: 2026-11-02, ...}",
    ),
    _e(
        "E720",
        "the advisor's rules would need more static pages than `checks.max_advisor_pages`",
        """
        Without JavaScript the advisor is two walks of static pages: what to do, asking only
        the questions the rules name, and where to run it, asking only those the placement
        list names. A walk ends as soon as the advice no longer depends on what is left, so
        the pages grow with the options, not their product. Rules whose conditions tie many
        questions together still multiply them; the build refuses to write more pages than
        the budget in site.yaml rather than grow the site without bound.
        """,
        "rules:\n  - when: {task: [docs], tone: [formal], team: [small], region: [eu]}",
        "questions:\n  - id: region\n    ask_if: {task: [docs]}   # ask it only where it matters",
    ),
    _e(
        "E721",
        "a question named both by the advisor's `rules` and by its `placement` list",
        """
        The static advisor asks what to do (the rules' questions) and where to run it (the
        placement's questions) in two separate walks, so one question cannot decide both.
        Let the rules read it, or the placement list, not both.
        """,
        "placement:\n  - when: {hardware: [gpu-24], task: [format]}",
        "placement:\n  - when: {hardware: [gpu-24]}",
    ),
    _e(
        "E722",
        "a price observation that says the offer `ended` without `available: false`",
        """
        `ended: <day>` records that the provider withdrew the offer for good on that day (a
        retired API model): from then on it is no offer, and the calculator, the advisor and
        the current-price tables leave it out. An offer that ended cannot be had, so the
        observation says `available: false` too: both fields must agree, for whatever reads
        either one.
        """,
        "- {as_of: 2026-08-21, usd_per_mtok_input: 0.5, ..., ended: 2026-07-31}",
        "- {as_of: 2026-08-21, usd_per_mtok_input: 0.5, ..., available: false, ended: 2026-07-31}",
    ),
    _e(
        "E723",
        "an `ended` day after its observation's `as_of`, or not after the last observation "
        "that found the offer on sale",
        """
        An observation records what its source said on its `as_of`, so the day an offer
        ended lies on or before it: a withdrawal announced for a later day is recorded once
        that day has passed (until then the offer is on sale). And an offer cannot end before
        an earlier observation found it on sale: one of the two dates is mistyped.
        """,
        "- {as_of: 2026-07-01, ..., available: false, ended: 2026-07-31}",
        "- {as_of: 2026-08-21, ..., available: false, ended: 2026-07-31}",
    ),
    _e(
        "E730",
        "a GPU's `source` or `price.source` on a retail or content-farm domain",
        """
        A GPU's figures are cited to the vendor (its datasheet, spec page or price
        announcement), not to a shop listing that changes without notice or a page that
        restates other sources without naming them. content/data/source_domains.yaml lists
        the domains that are refused, so an editor can add one without touching code. If a
        figure was read from such a page, keep that page in a comment or note beside it.
        """,
        "    source: https://www.newegg.com/p/rtx-4090-listing",
        "    source: https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/",
    ),
    _e(
        "E740",
        "`spanvero prices add` refused the observation: prices.yaml is left as it was",
        """
        `prices add` records one observation in an offer's history and changes nothing else,
        so it refuses what it cannot do safely: an offer that is not in prices.yaml (or two
        that match: name the unit with --gpus), a date already in the history or older than
        its newest observation (unless --backfill), a history not written one block per
        observation, or an observation that fails the build's own checks (those diagnostics
        follow). Every line named is a line of the file as it is, since nothing is written: the
        refusal stands at the offer's line (or the observation it clashes with), a problem with
        one of the command's own values at the offer, and one that compares it with another
        observation (a move, W717; an end before it was last on sale, E723) at that other
        observation. Correct the command, or make the change by hand where the hint says so.
        """,
        "spanvero prices add rental --gpu h100-sxm --provider cloud-a --tier on-demand "
        "--usd-per-hour 2.49 --as-of 2026-11-01 ...   # 2026-11-01 is already recorded",
        "spanvero prices add rental --gpu h100-sxm --provider cloud-a --tier on-demand "
        "--usd-per-hour 2.49 --as-of 2026-11-27 ...",
    ),
    _e(
        "E901",
        "internal error: a bug in spanvero, not in the content",
        """
        An unexpected exception reached the command line. It is reported like any other
        problem (with the file being processed when known) and the exit code is 1. Please
        report it with the message; run again with --debug for the traceback.
        """,
    ),
)

_BY_CODE = {e.code: e for e in EXPLANATIONS}
CODE = re.compile(r"^[EW]\d{3}$")


def explanation(code: str) -> Explanation | None:
    """The entry for `code` (case-insensitive), or None."""
    return _BY_CODE.get(code.strip().upper())


def codes() -> list[str]:
    """Every explained code, in table order."""
    return [e.code for e in EXPLANATIONS]


def format_explanation(entry: Explanation) -> str:
    """The long form `spanvero explain CODE` prints."""
    parts = [f"{entry.severity}[{entry.code}]: {entry.meaning}", "", entry.details]
    if entry.bad:
        parts += ["", "For example, this:", "", textwrap.indent(entry.bad, "    ")]
    if entry.fixed:
        parts += ["", "is fixed like this:", "", textwrap.indent(entry.fixed, "    ")]
    return "\n".join(parts) + "\n"


def format_index() -> str:
    """The one-line list `spanvero explain` prints without a code."""
    lines = [f"{e.code}  {_plain(e.meaning)}" for e in EXPLANATIONS]
    lines += ["", "spanvero explain CODE prints the long explanation and an example fix."]
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The README's diagnostics table."""
    rows = ["| code | meaning |", "|---|---|"]
    rows += [f"| {e.code} | {e.meaning} |" for e in EXPLANATIONS]
    return "\n".join(rows) + "\n"


def _plain(text: str) -> str:
    return text.replace("`", "")
