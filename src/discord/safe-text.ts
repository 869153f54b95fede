/**
 * Text the bot did not write (from a file's container, codec and tags, a file name, a member's name,
 * a search filter, a service's message) goes through here before it reaches a reply. A file can say
 * anything: Markdown that posts a link, a heading or a quote; invisible characters that reorder or
 * hide the text around it; thousands of characters that break an embed's limits. These functions
 * make it inert and short, cutting only between graphemes, so an emoji or an accented letter is never
 * split into the lone surrogate or stray mark Discord cannot store.
 */

// Made on first use: the segmenter loads ICU's break rules (about 3 MB resident), which an idle bot
// that has cut no text yet does not need.
let graphemes: Intl.Segmenter | undefined;

const ELLIPSIS = '…';

/**
 * Characters that are invisible or change how the text around them is shown: bidi embeddings,
 * overrides and isolates (U+202A–202E, U+2066–2069), marks (U+200E, U+200F, U+061C), zero-width
 * spaces and joiners (U+200B–200D, U+2060, U+FEFF), soft hyphens, tag characters that smuggle
 * invisible text, Hangul fillers that pass for blank names; any other format or control character.
 * A zero-width joiner between two pictographs is kept: it is what makes 👩‍💻 one emoji.
 */
const INVISIBLE =
  /(?<!\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?)\u200D|\u200D(?!\p{Extended_Pictographic})|(?!\u200D)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0]/gu;

/** Line breaks and tabs: a value shown inline stays on its line (no heading or quote can start one). */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** Markdown that works anywhere in a line, and `<` that opens mentions, custom emoji, links and timestamps. */
const INLINE_MARKUP = /[\\*_~`|[\]<]/g;

/** Markdown that works at the start of a line: headings, subtext, quotes, bulleted and numbered lists. */
const LINE_START_MARKUP = /^(\s*)([#>+-]|\d+(?=\.))/;

/**
 * `text` cut to at most `maxGraphemes` user-perceived characters and `maxUnits` UTF-16 code units,
 * the ellipsis that marks a cut included (pass `''` where the text is a value, not for reading). Cuts fall between graphemes only, so the result is always
 * well-formed UTF-16; a grapheme longer than the room left (a pile of combining marks) is dropped whole.
 */
export function cutText(
  text: string,
  maxGraphemes: number,
  maxUnits = Number.POSITIVE_INFINITY,
  ellipsis = ELLIPSIS,
): string {
  if (text.length <= maxGraphemes && text.length <= maxUnits) return text;
  const kept: string[] = [];
  let units = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    kept.push(segment);
    units += segment.length;
    if (kept.length > maxGraphemes || units > maxUnits) break;
  }
  if (kept.length <= maxGraphemes && units <= maxUnits) return text;
  // Make room for the ellipsis: drop graphemes until both limits hold with it.
  const mark = ellipsis ? 1 : 0;
  while (kept.length > 0 && (kept.length + mark > maxGraphemes || units + ellipsis.length > maxUnits)) {
    units -= kept.pop()?.length ?? 0;
  }
  return `${kept.join('')}${ellipsis}`;
}

/**
 * Outside text for a place that shows no Markdown (a footer, a select menu's label, an autocomplete
 * choice): invisible characters removed, line breaks turned to spaces, cut by grapheme. At most
 * `maxUnits` UTF-16 units long (by default twice `maxGraphemes`).
 */
export function plainText(value: string, maxGraphemes: number, maxUnits = 2 * maxGraphemes): string {
  return cutText(value.replace(BREAKS, ' ').replace(INVISIBLE, ''), maxGraphemes, maxUnits).trim();
}

/**
 * Outside text for a place that shows Markdown (an embed's title, description or field): as
 * `plainText`, then shown literally: every Markdown mark escaped, the line-start ones (headings,
 * quotes, lists) and masked links included, mentions broken, and no web address left that Discord
 * would turn into a link. At most `4 × maxGraphemes` UTF-16 units long.
 */
export function safeText(value: string, maxGraphemes: number): string {
  return plainText(value, maxGraphemes)
    .replace(INLINE_MARKUP, '\\$&')
    .replace(LINE_START_MARKUP, (_, space: string, mark: string) =>
      /\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
    )
    .replaceAll('@', '@\u200b')
    .replaceAll('://', ':\u200b//');
}

/**
 * Outside text for a code block or inline code span, where Markdown is not rendered but a backtick
 * would close the block: invisible characters removed, backticks turned to quotes, cut by grapheme.
 * Line breaks are kept only where `multiline`.
 */
export function safeCode(value: string, maxGraphemes: number, { multiline = false } = {}): string {
  const flat = multiline ? value : value.replace(BREAKS, ' ');
  const visible = flat
    .replace(/\r\n?/g, '\n')
    .replace(/(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => (char === '\t' ? ' ' : ''));
  return cutText(visible.replaceAll('`', "'"), maxGraphemes, 2 * maxGraphemes);
}
