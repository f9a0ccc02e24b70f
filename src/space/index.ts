// Search spaces: the spec and its validation, the built-ins, shapes, costs and architectures.
export { defineSpace, validateSpace } from './spec.js';
export { opKey, candidatesOf, asMBConv } from './ops.js';
export type { Activation, MBConvOp, ConvOp, ZeroOp, PrunodeOp, Op, FixedLayer, SearchableLayer, Layer, Shape, SearchSpace, SearchSpaceInput } from './spec.js';
export { proxylessMobile, proxylessCifar, proxylessSmall, prunetSmall, prunodeCandidates, proxylessCandidates, roundWidth, type BuiltinOptions } from './builtin.js';
export { layersOf, searchableLayers, stemOutput, featureShape, type LayerInfo } from './shapes.js';
export { opCost, prunodeCost, prunodeWidths, fixedCost, candidateCosts, architectureCost, expectedCost, expectedMacs, type Cost } from './cost.js';
export { validateArchitecture, architectureIndices, architectureFromIndices, architectureOps, type Architecture } from './architecture.js';
