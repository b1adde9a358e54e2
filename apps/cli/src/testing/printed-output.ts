/**
 * What a command prints through console.log and process.stdout from now on, collected instead of shown (the spies
 * go with `jest.restoreAllMocks()`).
 */
export function capturePrintedOutput(): string[] {
  const printed: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(values.join(' ')));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
  return printed;
}
