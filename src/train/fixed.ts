// The stand-alone network of an architecture: the space with every
// searchable layer replaced by its chosen op (a chosen `zero` removes the
// layer: it was the identity).
import { architectureOps, validateSpace, type Architecture, type Layer, type SearchSpace } from '../space/index.js';
import { asMBConv } from '../space/ops.js';

export function fixedSpace(space: SearchSpace, architecture: Architecture): SearchSpace {
  const ops = architectureOps(space, architecture);
  let index = 0;
  const stages = space.stages
    .map((stage) => ({
      name: stage.name,
      layers: stage.layers.flatMap((layer): Layer[] => {
        const op = ops[index++];
        return op.kind === 'zero' ? [] : [{ name: layer.name, op: op.kind === 'prunode' ? asMBConv(op) : op }];
      }),
    }))
    .filter((stage) => stage.layers.length > 0);
  return validateSpace({ ...space, name: `${space.name}-fixed`, stages });
}
