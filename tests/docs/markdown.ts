/**
 * Reads the repository's Markdown documentation the way GitHub renders it: links and images from
 * marked's GFM lexer (so that text in code spans and code blocks is never taken for a link), heading
 * anchors from github-slugger (GitHub's own slug rules, duplicates numbered `-1`, `-2`, ...).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import GithubSlugger from "github-slugger";
import { Lexer, type Token, type Tokens } from "marked";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");

/** The documentation pages, relative to the root: README.md, every docs/*.md, policies/README.md. */
export function documentationFiles(root = ROOT): string[] {
    const docs = fs.existsSync(path.join(root, "docs"))
        ? fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)
        : [];
    return ["README.md", ...docs, ...(fs.existsSync(path.join(root, "policies/README.md")) ? ["policies/README.md"] : [])];
}

/** One link or image target as written in a page. */
export interface MarkdownLink {
    readonly href: string;
    readonly text: string;
}

/** Every token under `tokens`, depth first (inline tokens, list items, table cells included). */
function* walk(value: unknown): Generator<Token> {
    if (Array.isArray(value)) {
        for (const item of value) yield* walk(item);
        return;
    }
    if (value === null || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    if (typeof node.type === "string") yield node as unknown as Token;
    for (const key of ["tokens", "items", "header", "rows"]) if (key in node) yield* walk(node[key]);
}

/** The links and images of a Markdown text. */
export function linksOf(markdown: string): MarkdownLink[] {
    const links: MarkdownLink[] = [];
    for (const token of walk(Lexer.lex(markdown))) {
        if (token.type === "link" || token.type === "image") {
            const t = token as Tokens.Link | Tokens.Image;
            links.push({ href: t.href, text: t.text });
        }
    }
    return links;
}

/** The plain text of inline tokens, as GitHub feeds a heading to its slugger. */
function plainText(tokens: readonly Token[] | undefined): string {
    return (tokens ?? [])
        .map((t) => {
            const children = (t as { tokens?: Token[] }).tokens;
            if (children && children.length > 0) return plainText(children);
            return "text" in t && typeof t.text === "string" ? t.text : "";
        })
        .join("");
}

/** The anchors GitHub gives the headings of a Markdown text, in order. */
export function anchorsOf(markdown: string): string[] {
    const slugger = new GithubSlugger();
    const anchors: string[] = [];
    for (const token of walk(Lexer.lex(markdown))) {
        if (token.type === "heading") anchors.push(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    }
    return anchors;
}

/** A relative link that does not resolve, with where it was found. */
export interface BrokenLink {
    readonly file: string;
    readonly href: string;
    readonly reason: string;
}

/** True for a link that leaves the repository (a URL scheme such as `https:` or `mailto:`, or `//host`). */
function isExternal(href: string): boolean {
    return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
}

/**
 * Checks every relative link and image of `files` (paths relative to `root`): the target exists in
 * the repository, and an `#anchor` names a heading of the target page (or of the same page).
 */
export function brokenLinks(files: readonly string[], root = ROOT): BrokenLink[] {
    const anchorCache = new Map<string, string[]>();
    const anchorsIn = (file: string) => {
        let anchors = anchorCache.get(file);
        if (!anchors) anchorCache.set(file, (anchors = anchorsOf(fs.readFileSync(file, "utf8"))));
        return anchors;
    };
    const broken: BrokenLink[] = [];
    for (const file of files) {
        const absolute = path.join(root, file);
        for (const { href } of linksOf(fs.readFileSync(absolute, "utf8"))) {
            if (isExternal(href)) continue;
            const report = (reason: string) => broken.push({ file, href, reason });
            const hash = href.indexOf("#");
            const target = decodeURIComponent(hash === -1 ? href : href.slice(0, hash));
            const anchor = hash === -1 ? undefined : decodeURIComponent(href.slice(hash + 1));
            if (target.startsWith("/")) {
                report("absolute paths do not resolve on GitHub's pages of a branch; link relative to the page");
                continue;
            }
            const resolved = target === "" ? absolute : path.resolve(path.dirname(absolute), target);
            if (path.relative(root, resolved).startsWith("..")) {
                report("points outside the repository");
                continue;
            }
            if (!fs.existsSync(resolved)) {
                report(`no such file: ${path.relative(root, resolved)}`);
                continue;
            }
            if (anchor === undefined) continue;
            if (!resolved.endsWith(".md")) {
                report("an anchor into a file that is not Markdown cannot be checked");
                continue;
            }
            if (!anchorsIn(resolved).includes(anchor)) report(`no heading with anchor #${anchor} in ${path.relative(root, resolved)}`);
        }
    }
    return broken;
}

/** The repository paths (relative to `root`, without anchors) that the relative links of `file` point at. */
export function linkedFiles(file: string, root = ROOT): string[] {
    const absolute = path.join(root, file);
    return linksOf(fs.readFileSync(absolute, "utf8"))
        .map((l) => l.href)
        .filter((href) => !isExternal(href) && !href.startsWith("#"))
        .map((href) => path.relative(root, path.resolve(path.dirname(absolute), decodeURIComponent(href.split("#")[0]))));
}

/** Lines of a text file as `wc -l` counts them: newline characters. */
export function lineCount(text: string): number {
    return text.split("\n").length - 1;
}
