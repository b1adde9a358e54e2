export class ArtifactNotFoundError extends Error {
  override readonly name = 'ArtifactNotFoundError';
  constructor(readonly digest: string, location: string) {
    super(`artifact ${digest} is not in the store at ${location}`);
  }
}

export class ArtifactCorruptError extends Error {
  override readonly name = 'ArtifactCorruptError';
  constructor(readonly digest: string, reason: string) {
    super(`artifact ${digest} is unreadable: ${reason}`);
  }
}
