/** The bytes as UTF-8 text, or undefined (with the problem pushed) when they are not UTF-8. */
export function readUtf8(bytes: Uint8Array, location: string, problems: string[]): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push(`${location}: is not UTF-8 text`);
    return undefined;
  }
}
