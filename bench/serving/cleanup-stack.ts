/** Undo steps run newest first, each once, whatever failed before: no process of the bench outlives it. */
export class CleanupStack {
  private readonly steps: { what: string; run: () => Promise<void> }[] = [];

  push(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  async runAll(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.what} failed: ${(error as Error).message}`);
      }
    }
  }
}
