"""Astro and Starlight: what ``astro.config.*`` says (site stage), read as text, never run.

Facts: Starlight ``locales`` (``root`` is the top of ``src/content/docs/``) or
Astro i18n ``locales``, ``defaultLocale``, ``public/`` for static files, the
``base`` path, ``tsconfig.json``'s path aliases (``@/*`` → ``src/*``), and the ``<html lang>``
of the layout a page renders in. Convention: Starlight's ``hero.image.file`` is rendered as an
image, with its alt in ``hero.image.alt``.
"""

from __future__ import annotations

import os
import re

from altbot.site.base import CONFIG_FILES, MAX_LAZY_BYTES, RENDERED, Answer, Fact, Site, languages_map
from altbot.site.readers import front_matter_search, html_lang_attr, js_block, js_object_keys, js_string, js_strings, read_text, strip_js_comments
from altbot.tags import folder_tag, normalize_tag, why_invalid

FILES = CONFIG_FILES["astro"]

MAX_LAYOUT_DEPTH = 8  # layouts inside layouts, followed this far
MAX_EXTENDS_DEPTH = 8  # tsconfig files extending tsconfig files, followed this far
# Astro's own base configs (``"extends": "astro/tsconfigs/strict"``) set no paths: where the
# package is not installed, nothing is missed
_ASTRO_BASES = "astro/tsconfigs/"
# a component imported from an .astro file: import Base from "../layouts/Base.astro" (or "@/layouts/…")
_COMPONENT_IMPORT = re.compile(r"""^[ \t]*import[ \t]+([A-Za-z_$][\w$]*)[ \t]+from[ \t]+(['"])([^'"\n]*?\.astro)\2""", re.M)
# a Markdown page's layout: front matter ``layout: ../layouts/Post.astro``
_MD_LAYOUT = re.compile(r"""^layout:[ \t]*(['"]?)([^'"\n]*?\.astro)\1[ \t]*\r?$""", re.M)
# an entry of a content collection, and the files that define the collections (Astro 5, then 2-4)
_ENTRY_SUFFIXES = (".md", ".mdx", ".markdown", ".mdoc")
_CONTENT_CONFIGS = tuple(f"src/{n}.{x}" for n in ("content.config", "content/config") for x in ("ts", "mts", "js", "mjs"))
_DEFINE = re.compile(r"""(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*defineCollection\(""")
_GLOB_BASE = re.compile(r"""\bbase[ \t]*:[ \t]*(['"`])([^'"`\n$]+)\1""")
_COLLECTIONS = re.compile(r"""\bcollections[ \t]*=[ \t]*\{([^{}]*)\}""")
_GET_COLLECTION = re.compile(r"""\bgetCollection\([ \t]*(['"`])([\w-]+)\1""")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FIRST_TAG = re.compile(r"<([A-Za-z][\w.$-]*)")
# in an <html> tag: lang="fr", or lang={name} / lang={Astro.props.name}
_LANG_ATTR = re.compile(
    r"""\slang[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|\{[ \t]*(?:Astro\.props\.)?([A-Za-z_$][\w$]*)[ \t]*\})""", re.I
)


class Astro(Site):
    name = "astro"

    def __init__(self, root: str, src: str, notes: list[str], config_file: str | None = None) -> None:
        super().__init__(root, notes, config_file)
        src = strip_js_comments(src)
        self.locales: dict[str, str] | None = None  # folder name (lower) → tag
        self._default: str | None = None
        default_key = js_string(src, "defaultLocale")
        body = js_block(src, "locales")
        if body is not None:  # Starlight: locales: { root: { label, lang }, fr: { label }, 'pt-br': {...} }
            self.locales = {}
            for key, conf in js_object_keys(body).items():
                tag = normalize_tag(js_string(conf, "lang") or "") or normalize_tag(key)
                if key == "root":  # the locale at the top of src/content/docs/
                    self._default = normalize_tag(js_string(conf, "lang") or "")
                    continue
                if tag:
                    self.locales[key.lower()] = tag
        else:
            arr = js_block(src, "locales", "[")  # Astro i18n: locales: ["en", "fr", { path: "es", codes: [...] }]
            if arr is not None:
                self.locales = languages_map(js_strings(arr), lambda k: normalize_tag(k))
        if self._default is None and default_key and default_key != "root":
            self._default = (self.locales or {}).get(default_key.lower()) or self._tag(default_key, "defaultLocale")
        public = js_string(src, "publicDir")
        self.static_dirs = (public.strip("./") if public else "public",)
        self.set_base_path(js_string(src, "base"), f"{config_file or 'astro config'} base")
        if "starlight" in src:
            self.image_fields["hero.image.file"] = (RENDERED, "Starlight's convention: the splash page's hero image")
        self._aliases_source = "tsconfig.json"  # the file whose compilerOptions.paths gave the aliases
        self._read_path_aliases()

    def _read_path_aliases(self) -> None:
        """``tsconfig.json``'s ``compilerOptions.paths`` (``"@/*": ["src/*"]``), which Vite resolves
        in an Astro project: the folders ``@/assets/hero.png`` and ``@layouts/Base.astro`` name.
        Read as JSON with comments and trailing commas, following ``extends`` as TypeScript does
        (a file, or a package in ``node_modules``; a list, later ones winning; the extending
        file's own options win, ``paths`` whole); only folder aliases (``x/*`` to ``y/*``)."""
        path = os.path.join(self.root, "tsconfig.json")
        if not os.path.isfile(path):
            return
        opts = self._tsconfig(path, ())
        if "paths" not in opts:
            return
        paths, defined_in, self._aliases_source = opts["paths"]
        # targets are relative to baseUrl (itself relative to the file that sets it), else to the
        # file that sets paths
        base = opts.get("baseUrl", defined_in)
        for key, targets in paths.items():
            if not (key.endswith("/*") and isinstance(targets, list) and targets and isinstance(targets[0], str)):
                continue
            if not targets[0].endswith("/*"):
                continue
            target = os.path.relpath(os.path.normpath(os.path.join(base, _config_dir(targets[0][:-1], self.root))),
                                     self.root).replace(os.sep, "/")
            if target == ".." or target.startswith("../") or os.path.isabs(target):
                continue  # outside the project: not ours to read
            self.src_aliases.setdefault(key[:-1], "" if target == "." else target + "/")

    def _tsconfig(self, path: str, chain: tuple[str, ...]) -> dict:
        """The compiler options of one tsconfig file and what it extends: ``paths`` as (value,
        its file's folder, that file's name), ``baseUrl`` as a folder; {} where unreadable (said)."""
        import json

        label = self._rel(path) if not chain else f"{self._rel(path)} (extended by {self._rel(chain[-1])})"
        text = read_text(path, 1 << 20)
        if not text:
            self._notes.append(f"{label}: could not be read; its path aliases (compilerOptions.paths) are unknown")
            return {}
        try:
            data = json.loads(_TRAILING_COMMA.sub(r"\1", strip_js_comments(text)))
        except (ValueError, RecursionError):  # (nested too deeply for Python's JSON reader)
            self._notes.append(f"{label}: not valid JSON; its path aliases (compilerOptions.paths) were not read")
            return {}
        if not isinstance(data, dict):
            return {}
        folder = os.path.dirname(path)
        merged: dict = {}
        ext = data.get("extends")
        for spec in [ext] if isinstance(ext, str) else ext if isinstance(ext, list) else []:
            if not isinstance(spec, str):
                continue
            base = _extended_tsconfig(folder, spec)
            if base is None:
                if spec.startswith(_ASTRO_BASES):
                    continue
                self._notes.append(f"{label}: extends {spec!r}, which is not here; its path aliases are unknown")
            elif base in chain or base == path or len(chain) >= MAX_EXTENDS_DEPTH:
                self._notes.append(f"{label}: extends {spec!r} in a loop (or too deep); not followed")
            else:
                merged.update(self._tsconfig(base, (*chain, path)))
        opts = data.get("compilerOptions")
        if isinstance(opts, dict):
            if isinstance(opts.get("paths"), dict):
                merged["paths"] = (opts["paths"], folder, self._rel(path))
            if isinstance(opts.get("baseUrl"), str):
                merged["baseUrl"] = os.path.normpath(os.path.join(folder, _config_dir(opts["baseUrl"], self.root)))
        return merged

    def _rel(self, path: str) -> str:
        rel = os.path.relpath(path, self.root)
        return (path if rel.startswith("..") else rel).replace(os.sep, "/")

    def facts(self) -> list[Fact]:
        out = super().facts()
        source = f"{self._aliases_source} compilerOptions.paths"
        out.extend(Fact(f"path alias {a}", t or "./", source) for a, t in self.src_aliases.items())
        for name, routes in sorted(self._collection_routes().items()):
            shown = ", ".join(self._rel(r) for r in routes)
            out.append(Fact(f"collection {name}", f"its entries render in {shown}", "getCollection in src/pages"))
        return out

    def resolve_import(self, importer: str, spec: str) -> str | None:
        """The file an import specifier names, as Vite resolves it: relative to the importing
        file, or through a tsconfig path alias; None for a package."""
        if spec.startswith(("./", "../")):
            return os.path.normpath(os.path.join(os.path.dirname(importer), spec))
        alias = max((a for a in self.src_aliases if spec.startswith(a)), key=len, default=None)
        if alias is None:
            return None
        return os.path.normpath(os.path.join(self.root, self.src_aliases[alias], spec[len(alias):]))

    def page(self, rel: tuple[str, ...]) -> Answer | None:
        for prefix in (("src", "content", "docs"), ("src", "pages")):
            n = len(prefix)
            if rel[:n] == prefix and len(rel) > n + 1:
                name = rel[n]
                if self.locales is not None:
                    tag = self.locales.get(name.lower())
                elif prefix[-1] == "docs":
                    tag = folder_tag(name)
                else:
                    tag = None  # src/pages/<x>/ is only a locale when the config lists it
                if tag:
                    return tag, "astro-locale-dir"
        return None

    def default(self) -> Answer | None:
        return (self._default, "astro-default") if self._default else None

    # -- layouts --------------------------------------------------------------------------------
    def layout_language(self, page_abspath: str, text: str) -> Answer | None:
        """The ``<html lang>`` of the layout the page renders in, as Astro builds it: the
        component the template opens with, imported from a local ``.astro`` file (a Markdown
        page's front-matter ``layout:``), followed through layouts inside layouts. A literal
        ``lang="fr"``, or ``lang={name}`` with the literal the page passes as ``name="fr"`` (else
        the layout's ``const { name = "fr" } = Astro.props`` default). Read as text, never run.

        An entry of a content collection (``src/content/<name>/``, or a ``glob()`` loader's
        ``base`` in ``src/content.config.ts``) is no page: it renders in the dynamic route of
        ``src/pages/`` that calls ``getCollection("<name>")`` (``[...slug].astro``), so it takes
        that route's ``<html lang>`` or its layout's (its own ``layout:`` is not used, as in Astro)."""
        if page_abspath.endswith(_ENTRY_SUFFIXES):
            name = self._collection_of(page_abspath)
            if name is not None:
                return self._collection_language(name)
        return self._page_layout_language(page_abspath, text)

    def _page_layout_language(self, page_abspath: str, text: str) -> Answer | None:
        path = page_abspath
        props: dict[str, str | None] = {}
        seen: set[str] = set()
        for _ in range(MAX_LAYOUT_DEPTH):
            nxt = _layout_of(path, text, self.resolve_import)
            if nxt is None:
                return None
            layout, props = nxt
            if os.path.relpath(layout, self.root).split(os.sep)[0] == "..":
                note = f"layout {layout}: outside the site folder, not read; its <html lang> is unknown"
                self.note(note)
                return None
            if layout in seen:
                return None  # a layout in itself: Astro would never finish; nothing to read
            seen.add(layout)
            text = self._layout_text(layout)
            if text is None:
                return None
            m = _html_lang(_template(text))
            if m is not None:
                value = m.group(1) if m.group(1) is not None else m.group(2)
                if value is None:  # lang={name}: what the page passes, or the layout's default
                    name = m.group(3)
                    if name in props or "..." in props:
                        value = props.get(name)  # a literal passed, or None: a value only known at build time
                    else:
                        value = _prop_default(text, name)
                if not value or not value.strip():
                    return None
                tag = normalize_tag(value)
                if tag is None:
                    self._notes.append(f"{_short(layout)} <html lang>: {why_invalid(value)}; ignored")
                    return None
                return tag, "astro-layout"
            path = layout
        return None

    # -- content collections ----------------------------------------------------------------------
    def _collection_of(self, page_abspath: str) -> str | None:
        """The content collection the file is an entry of: a loader's base folder (the longest
        that holds it), else its folder under ``src/content/``; None for neither."""
        rel = os.path.relpath(page_abspath, self.root).replace(os.sep, "/")
        if rel.startswith("../"):
            return None
        for base, name in self._collection_bases():
            if rel.startswith(base + "/"):
                return name
        parts = rel.split("/")
        return parts[2] if len(parts) > 3 and parts[:2] == ["src", "content"] else None

    def _collection_bases(self) -> list[tuple[str, str]]:
        """(base folder relative to the root, collection name) of each ``glob({ base })`` loader in
        the content config (``src/content.config.*``, or ``src/content/config.*``), longest first."""
        if "_bases" in self.__dict__:
            return self.__dict__["_bases"]
        out: list[tuple[str, str]] = []
        for rel in _CONTENT_CONFIGS:
            path = os.path.join(self.root, *rel.split("/"))
            if not os.path.isfile(path):
                continue
            out = _loader_bases(strip_js_comments(read_text(path, MAX_LAZY_BYTES)))
            break  # the first content config found is the one Astro reads
        out.sort(key=lambda b: -len(b[0]))
        self.__dict__["_bases"] = out
        return out

    def _collection_language(self, name: str) -> Answer | None:
        """The ``<html lang>`` that the dynamic routes calling ``getCollection(name)`` render in:
        their own, or their layout's; None where there is no such route, or where they disagree
        (said)."""
        cache = self.__dict__.setdefault("_collection_langs", {})
        if name in cache:
            return cache[name]
        answers = set()
        for route in self._collection_routes().get(name, ()):
            text = self._layout_text(route)
            if text is None:
                continue
            m = _html_lang(_template(text))
            if m is not None and (m.group(1) is not None or m.group(2) is not None):  # the route is its own document
                value = m.group(1) if m.group(1) is not None else m.group(2)
                tag = normalize_tag(value) if value.strip() else None
                answers.add((tag, "astro-layout") if tag else None)
            else:
                answers.add(self._page_layout_language(route, text))
        got = next(iter(answers)) if len(answers) == 1 else None
        if len(answers) > 1:
            self._notes.append(f"collection {name!r}: its routes render in layouts of different languages; none is used")
        cache[name] = got
        return got

    def _collection_routes(self) -> dict[str, list[str]]:
        """collection name → the dynamic routes (``src/pages/**/[param].astro``) that call
        ``getCollection`` with it; ``src/pages`` is read once."""
        if "_routes" in self.__dict__:
            return self.__dict__["_routes"]
        routes: dict[str, list[str]] = {}
        pages = os.path.join(self.root, "src", "pages")
        for dirpath, dirnames, filenames in os.walk(pages):
            dirnames[:] = sorted(d for d in dirnames if d != "node_modules" and not d.startswith("."))
            for f in sorted(filenames):
                if not (f.startswith("[") and f.endswith(".astro")):
                    continue
                path = os.path.join(dirpath, f)
                text = self._layout_text(path) or ""
                for name in dict.fromkeys(m.group(2) for m in _GET_COLLECTION.finditer(text, 0, _script_end(text))):
                    routes.setdefault(name, []).append(path)
        self.__dict__["_routes"] = routes
        return routes

    def _layout_text(self, layout: str) -> str | None:
        return self.read_once(layout, f"layout {_short(layout)}")


def _loader_bases(src: str) -> list[tuple[str, str]]:
    """(base folder, collection name) of each ``const x = defineCollection({ loader: glob({ base })
    })`` in a content config's text, named as ``export const collections = { name: x }`` (or
    ``{ x }``) names it. Linear: each definition's text is searched once."""
    names = {}  # variable → collection name
    exported = _COLLECTIONS.search(src)
    for item in exported.group(1).split(",") if exported else []:
        key, _, var = item.partition(":")
        key, var = key.strip().strip("'\"`"), (var or key).strip()
        if key and var:
            names[var] = key
    out = []
    defs = list(_DEFINE.finditer(src))
    for i, m in enumerate(defs):
        stop = defs[i + 1].start() if i + 1 < len(defs) else len(src)
        glob = src.find("glob(", m.end(), stop)
        base = _GLOB_BASE.search(src, glob, stop) if glob >= 0 else None
        if base is None:
            continue
        folder = os.path.normpath(base.group(2)).replace(os.sep, "/")
        if folder == ".." or folder.startswith("../") or os.path.isabs(folder):
            continue  # outside the project: not ours to read
        out.append((folder.rstrip("/"), names.get(m.group(1), m.group(1))))
    return out


def _html_lang(template: str) -> re.Match[str] | None:
    return html_lang_attr(template, _LANG_ATTR)


def _short(path: str) -> str:
    return os.path.basename(path)


def _script_end(text: str) -> int:
    from altbot.parse.astro import script_end

    return script_end(text)


def _template(text: str) -> str:
    """An ``.astro`` file's template, its HTML comments blanked."""
    return _COMMENT.sub(" ", text[_script_end(text):])


def _layout_of(path: str, text: str, resolve) -> tuple[str, dict[str, str | None]] | None:
    """(the layout file a page renders in, the props it passes: their literal value, or None
    for an expression; ``"..."`` for a spread) or None."""
    if path.endswith((".md", ".mdx", ".markdown")):
        m = front_matter_search(text, _MD_LAYOUT)
        layout = resolve(path, m.group(2)) if m else None
        return (layout, {}) if layout else None
    end = _script_end(text)
    if not end:
        return None
    imports = {m.group(1): m.group(3) for m in _COMPONENT_IMPORT.finditer(text, 0, end)}
    if not imports:
        return None
    template = _COMMENT.sub(" ", text[end:])
    first = _FIRST_TAG.search(template)
    if first is None or first.group(1) not in imports:
        return None  # the page is its own document (<html>), or opens with no layout
    from altbot.parse.jsx import Scanner

    try:
        _, _, attrs, _, _ = Scanner(template, html_values=True).tag(first.start())
    except Exception:  # a tag the scanner cannot read: no props known
        attrs = []
    props = {a[0]: (a[2] if a[1] == "string" else None) for a in attrs if a[1] != "spread"}  # None: not a literal
    if any(a[1] == "spread" for a in attrs):
        props.setdefault("...", None)  # {...props}: any prop may be passed
    layout = resolve(path, imports[first.group(1)])
    return (layout, props) if layout else None


def _prop_default(text: str, name: str) -> str | None:
    """``const { name = "fr" } = Astro.props``: the default of a destructured prop."""
    m = re.search(r"\{[^{}]*\b" + re.escape(name) + r"""[ \t]*=[ \t]*(["'])([^"'\n]*)\1[^{}]*\}[ \t]*=[ \t]*Astro\.props""",
                  text[: _script_end(text)])
    return m.group(2) if m else None


def _config_dir(value: str, root: str) -> str:
    """TypeScript's ``${configDir}`` (5.5): the folder of the tsconfig.json being compiled, in a
    path any file of its ``extends`` chain sets."""
    if value.startswith("${configDir}"):
        return os.path.join(root, value[len("${configDir}") :].lstrip("/"))
    return value


def _extended_tsconfig(folder: str, spec: str) -> str | None:
    """The file a tsconfig's ``extends`` names, as TypeScript finds it: a path from the extending
    file's folder (``.json`` added when it has none), or a package in a ``node_modules`` up from
    there (``pkg/file``, ``pkg/file.json``, or the package's ``tsconfig`` field or
    ``tsconfig.json``); None where it is not on disk. Nothing is fetched."""
    def file(p: str) -> str | None:
        for c in (p, p + ".json") if not p.endswith(".json") else (p,):
            if os.path.isfile(c):
                return os.path.normpath(c)
        return None

    if spec.startswith(("./", "../")) or os.path.isabs(spec):
        return file(os.path.join(folder, spec))
    cur = folder
    while True:
        pkg = os.path.join(cur, "node_modules", *spec.split("/"))
        hit = file(pkg)
        if hit is None and os.path.isdir(pkg):
            field = None
            if os.path.isfile(os.path.join(pkg, "package.json")):
                import json

                try:
                    meta = json.loads(read_text(os.path.join(pkg, "package.json")))
                    field = meta.get("tsconfig") if isinstance(meta, dict) else None
                except (ValueError, RecursionError):
                    field = None
            hit = file(os.path.join(pkg, field)) if isinstance(field, str) else file(os.path.join(pkg, "tsconfig.json"))
        if hit is not None:
            return hit
        parent = os.path.dirname(cur)
        if parent == cur:
            return None
        cur = parent
