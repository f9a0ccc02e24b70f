// The order of work in the binarized-path searches (ProxylessNAS, PruNet):
// warmupSteps weight steps with α frozen, then one architecture step after
// every archEvery weight steps, until searchSteps weight steps past warmup.
// The counts of weight and architecture steps done (kept in the strategy's
// state) decide the next unit, so a resumed search continues where it stopped.

export type ArchScheduleUnit = 'warmup' | 'weights' | 'arch' | 'done';

export interface ArchSchedule {
  warmupSteps: number;
  searchSteps: number;
  archEvery: number;
}

export function nextUnit(schedule: ArchSchedule, weightSteps: number, archSteps: number): ArchScheduleUnit {
  const { warmupSteps, searchSteps, archEvery } = schedule;
  if (weightSteps < warmupSteps) return 'warmup';
  const searched = weightSteps - warmupSteps;
  if (archSteps < Math.floor(searched / archEvery)) return 'arch';
  return searched < searchSteps ? 'weights' : 'done';
}

/** Weight and architecture steps of the whole search. */
export function totalUnits(schedule: ArchSchedule): number {
  const { warmupSteps, searchSteps, archEvery } = schedule;
  return warmupSteps + searchSteps + Math.floor(searchSteps / archEvery);
}
