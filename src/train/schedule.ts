// Learning-rate schedule: linear warmup, then cosine decay to zero, per step.
export function cosineWithWarmup(step: number, totalSteps: number, warmupSteps: number, baseLr: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  return 0.5 * baseLr * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}
