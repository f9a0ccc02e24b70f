// Search spaces: the spec, the built-ins, and their costs.
export { proxylessCandidates, proxylessCifar, proxylessMobile, proxylessSmall, roundWidth, type BuiltinOptions } from './builtin.js';
export { architectureCost, candidateCosts, checkChoices, expectedMacs, fixedCost, layerShapes, opCost, type Choices, type Cost, type LayerShape } from './cost.js';
export { defineSpace, layersOf, opKey, searchableLayers, type Activation, type Layer, type Op, type SearchSpace, type SearchSpaceInput } from './spec.js';
