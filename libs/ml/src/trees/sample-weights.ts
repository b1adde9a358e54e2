/**
 * Fills `into` with one tree's sample weights, as scikit-learn's forests pass them to each tree: how often the row was
 * drawn among `rows` draws with replacement (or 1 without bootstrap), times its class weight.
 */
export function fillSampleWeights(into: Float64Array, rowWeights: Float64Array | undefined, bootstrap: boolean, random: () => number): void {
  const rows = into.length;
  if (bootstrap) {
    into.fill(0);
    for (let draw = 0; draw < rows; draw += 1) into[Math.floor(random() * rows)] += 1;
  } else {
    into.fill(1);
  }
  if (rowWeights) for (let row = 0; row < rows; row += 1) into[row] *= rowWeights[row];
}
