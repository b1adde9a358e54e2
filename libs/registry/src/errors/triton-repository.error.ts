/**
 * A Triton model repository Slipway cannot import. It carries every problem found, each naming its file and field,
 * so the import is refused whole rather than half-registered, and the user can fix all of them in one go.
 */
export class TritonRepositoryError extends Error {
  override readonly name = 'TritonRepositoryError';
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `the Triton model repository has ${problems.length} problems:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  }
}
