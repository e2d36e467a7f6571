// The spec's Markdown as the reference pages need it. Redoc renders descriptions as Markdown, but
//   - its search index and excerpts join the lines of a paragraph with nothing between them
//     ("To create\na backup" is indexed as "createa backup"), where the page shows a space;
//   - it shows a server's description as plain text, backticks and all.

/** A line that starts a Markdown block of its own: list item, heading, quote, table row, fence or HTML. */
const BLOCK_START = /^\s*([-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||```|~~~|<)/;
/** A line after which the next one is not part of the same paragraph: a heading, table row, fence, HTML, or a hard break. */
const BLOCK_END = /^\s*(#{1,6}\s|\||```|~~~|<)|( {2}|\\)$/;

/**
 * The same Markdown with each paragraph (and list item) on one line, which renders the same: a
 * soft line break is a space. Code fences, tables, headings and hard breaks stay as they are.
 */
export function joinSoftBreaks(markdown) {
  const lines = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    const fence = /^\s*(```|~~~)/.test(line);
    const previous = lines.at(-1);
    const continues =
      !fenced &&
      !fence &&
      previous !== undefined &&
      previous.trim() !== "" &&
      line.trim() !== "" &&
      !BLOCK_START.test(line) &&
      !BLOCK_END.test(previous);
    if (continues) lines[lines.length - 1] = `${previous} ${line.trim()}`;
    else lines.push(line);
    if (fence) fenced = !fenced;
  }
  return lines.join("\n");
}

/** Markdown as plain text, for the places Redoc shows as it is: code spans, emphasis and links lose their marks. */
export function plainText(markdown) {
  return joinSoftBreaks(markdown)
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, "$1$2");
}

/** Keys whose values are data (examples, defaults, enumerations, code samples), never Markdown to rewrite. */
const DATA_KEYS = new Set(["example", "examples", "default", "enum", "const", "x-codeSamples"]);

/**
 * Rewrites, in place, every `description` of an OpenAPI document with `rewrite(text, where)`,
 * `where` being the JSON path of the object holding it; data values are left alone.
 */
export function rewriteDescriptions(node, rewrite, where = []) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => rewriteDescriptions(item, rewrite, [...where, String(index)]));
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "description" && typeof value === "string") node[key] = rewrite(value, where);
    else if (!DATA_KEYS.has(key)) rewriteDescriptions(value, rewrite, [...where, key]);
  }
}
