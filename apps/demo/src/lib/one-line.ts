/**
 * Text safe for one log line: control characters (line breaks included), which would split
 * a line or forge another, become single spaces.
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
}
