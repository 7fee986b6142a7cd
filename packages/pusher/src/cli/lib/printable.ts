// Session ids, endpoints and the text push services answer with are chosen by others: a
// session id is whatever a browser's cookie said, an error body whatever a server sent. Printed
// raw on a terminal, an ESC sequence can recolour, move the cursor, retitle the window or hide
// what follows, a carriage return can overwrite a line, a newline can forge a row of a TSV
// listing, and a bidi control can show text in another order than it is stored. Every field of
// the CLI's human output that comes from outside goes through this one function.

/**
 * What is escaped:
 * - C0 controls U+0000–U+001F (ESC included, so no ANSI/VT escape sequence survives; tab and
 *   newline too, so a field stays one field on one line), DEL U+007F, C1 controls
 *   U+0080–U+009F (CSI U+009B included);
 * - the bidirectional formatting characters: U+061C, U+200E, U+200F, U+202A–U+202E,
 *   U+2066–U+2069 (the "Trojan Source" characters);
 * - the line and paragraph separators U+2028 and U+2029, which some terminals break lines on.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what it finds.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function escapeOne(char: string): string {
  const short = SHORT[char];
  if (short) return short;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u{${code.toString(16).padStart(4, "0")}}`;
}

/**
 * `text` safe to print on a terminal: every control, bidi or line-separator character is
 * replaced by a visible escape (`\x1b`, `\n`, `\u{202e}`); everything else, other
 * languages' letters and emoji included, is kept as it is.
 *
 * @example
 * ```ts
 * printable("\u001b[31mred\u001b[0m") // "\\x1b[31mred\\x1b[0m"
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
