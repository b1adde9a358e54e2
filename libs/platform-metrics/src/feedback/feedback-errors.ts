/** Feedback named predictions monitoring does not hold (never sampled, or pushed out of the bounded ledger). */
export class UnknownPredictionsError extends Error {
  override readonly name = 'UnknownPredictionsError';

  constructor(readonly predictionIds: readonly string[]) {
    const shown = predictionIds.slice(0, 20).map((id) => `"${id}"`).join(', ');
    const more = predictionIds.length > 20 ? ` and ${predictionIds.length - 20} more` : '';
    super(`unknown prediction ids: ${shown}${more} (not sampled by serving, or pushed out of the feedback ledger)`);
  }
}

/** Feedback whose label count differs from the rows the prediction answered. */
export class FeedbackLabelCountError extends Error {
  override readonly name = 'FeedbackLabelCountError';

  constructor(
    readonly field: string,
    readonly predictionId: string,
    readonly expected: number,
    readonly received: number,
  ) {
    super(`invalid body: ${field}: prediction "${predictionId}" answered ${expected} row(s), the feedback has ${received} label(s)`);
  }
}

/** Feedback that gives a regressor's prediction a label that is not a number. */
export class FeedbackLabelTypeError extends Error {
  override readonly name = 'FeedbackLabelTypeError';

  constructor(
    readonly field: string,
    readonly predictionId: string,
  ) {
    super(`invalid body: ${field}: prediction "${predictionId}" came from a regressor; its labels are the true values, as numbers`);
  }
}
