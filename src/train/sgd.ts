// The SGD options every weight-training loop takes (fixed-architecture
// training and the search strategies), one definition so their ranges and
// defaults cannot drift apart.
import { z } from 'zod';

/** SGD with (by default Nesterov) momentum; the weight decay's default is the caller's own. */
export function sgdOptions(weightDecay: number) {
  return {
    momentum: z.number().min(0).max(1).default(0.9),
    nesterov: z.boolean().default(true),
    weightDecay: z.number().min(0).max(1).default(weightDecay),
  };
}
