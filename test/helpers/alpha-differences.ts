// Central differences of a scalar function of α, entry by entry: the
// reference for every analytic ∂L/∂α of the search strategies' losses.
export function alphaDifferences(loss: (alphas: number[][]) => number, alphas: readonly (readonly number[])[], h = 1e-6): number[][] {
  return alphas.map((row, l) =>
    row.map((_, k) => {
      const shifted = (d: number) => {
        const a = alphas.map((x) => [...x]);
        a[l][k] += d;
        return loss(a);
      };
      return (shifted(h) - shifted(-h)) / (2 * h);
    }),
  );
}
