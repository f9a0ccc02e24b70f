// An architecture in ProxylessNAS's net.config layout (mit-han-lab/proxylessnas,
// ProxylessNASNets.config): first_conv, blocks, feature_mix_layer,
// classifier, each layer as the `config` property of its PyTorch module, so
// the JSON reads like the published proxyless_*.config files and loads with
// `ProxylessNASNets.build_from_config` (no `mid_channels`: the model zoo's
// MBInvertedConvLayer does not take it, and both versions derive the hidden
// width as in_channels·expand_ratio, as prunas does).
//
// Every layer of the space is a block, a chosen `zero` included: a ZeroLayer
// with an IdentityLayer shortcut (the block is the identity), as ProxylessNAS
// writes a skipped block. A block has an IdentityLayer shortcut exactly where
// prunas adds the residual (stride 1 and as many channels out as in), so the
// fixed first block of proxyless-small, which prunas gives a residual, has
// one. `bn` carries prunas's BN momentum and epsilon (PyTorch's 0.1 and 1e-5;
// ProxylessNAS assumes 1e-3 when the field is absent). MBInvertedConvLayer
// has no activation field in ProxylessNAS (always ReLU6): a block with
// another activation gets Once-for-All's `act_func` ('relu', 'h_swish').
import type { Activation, Architecture, ConvOp, MBConvOp, SearchSpace } from '../space/index.js';
import { architectureOps, layersOf } from '../space/index.js';
import { asMBConv } from '../space/ops.js';

export interface ConvLayerConfig {
  name: 'ConvLayer';
  kernel_size: number;
  stride: number;
  dilation: 1;
  groups: 1;
  bias: false;
  has_shuffle: false;
  in_channels: number;
  out_channels: number;
  use_bn: true;
  act_func: string;
  dropout_rate: 0;
  ops_order: 'weight_bn_act';
}

export interface MBInvertedConvLayerConfig {
  name: 'MBInvertedConvLayer';
  in_channels: number;
  out_channels: number;
  kernel_size: number;
  stride: number;
  expand_ratio: number;
  act_func?: string;
}

export interface ZeroLayerConfig {
  name: 'ZeroLayer';
  stride: number;
}

export interface IdentityLayerConfig {
  name: 'IdentityLayer';
  in_channels: number;
  out_channels: number;
  use_bn: false;
  act_func: null;
  dropout_rate: 0;
  ops_order: 'weight_bn_act';
}

export interface BlockConfig {
  name: 'MobileInvertedResidualBlock';
  mobile_inverted_conv: MBInvertedConvLayerConfig | ZeroLayerConfig | ConvLayerConfig;
  shortcut: IdentityLayerConfig | null;
}

export interface LinearLayerConfig {
  name: 'LinearLayer';
  in_features: number;
  out_features: number;
  bias: true;
  use_bn: false;
  act_func: null;
  dropout_rate: 0;
  ops_order: 'weight_bn_act';
}

export interface NetConfig {
  name: 'ProxylessNASNets';
  bn: { momentum: number; eps: number };
  first_conv: ConvLayerConfig;
  blocks: BlockConfig[];
  feature_mix_layer: ConvLayerConfig | null;
  classifier: LinearLayerConfig;
}

/** The architecture of `space` as ProxylessNAS's net.config JSON (a plain object; JSON.stringify it). */
export function netConfig(space: SearchSpace, architecture: Architecture): NetConfig {
  const ops = architectureOps(space, architecture);
  const layers = layersOf(space);
  const blocks = layers.map((layer, l): BlockConfig => {
    const op = ops[l];
    const cin = layer.input.channels;
    const shortcut = layer.residual && op.kind !== 'conv' ? identityLayer(cin) : null;
    if (op.kind === 'zero') return { name: 'MobileInvertedResidualBlock', mobile_inverted_conv: { name: 'ZeroLayer', stride: layer.stride }, shortcut };
    if (op.kind === 'conv') return { name: 'MobileInvertedResidualBlock', mobile_inverted_conv: convLayer(cin, op), shortcut: null };
    return { name: 'MobileInvertedResidualBlock', mobile_inverted_conv: mbInvertedConvLayer(cin, asMBConv(op)), shortcut };
  });
  const features = layers[layers.length - 1].output.channels;
  const head = space.head;
  return {
    name: 'ProxylessNASNets',
    bn: { momentum: 0.1, eps: 1e-5 },
    first_conv: convLayer(space.input.channels, { kernel: space.stem.kernel, stride: space.stem.stride, out: space.stem.out, act: space.stem.act }),
    blocks,
    feature_mix_layer: head ? convLayer(features, { kernel: 1, stride: 1, out: head.out, act: head.act }) : null,
    classifier: {
      name: 'LinearLayer',
      in_features: head ? head.out : features,
      out_features: space.classes,
      bias: true,
      use_bn: false,
      act_func: null,
      dropout_rate: 0,
      ops_order: 'weight_bn_act',
    },
  };
}

/** PyTorch-side activation names (ProxylessNAS's build_activation; h_swish from Once-for-All). */
const ACT_FUNC: Record<Activation, string> = { relu6: 'relu6', relu: 'relu', hswish: 'h_swish' };

function convLayer(cin: number, op: Pick<ConvOp, 'kernel' | 'stride' | 'out' | 'act'>): ConvLayerConfig {
  return {
    name: 'ConvLayer',
    kernel_size: op.kernel,
    stride: op.stride,
    dilation: 1,
    groups: 1,
    bias: false,
    has_shuffle: false,
    in_channels: cin,
    out_channels: op.out,
    use_bn: true,
    act_func: ACT_FUNC[op.act],
    dropout_rate: 0,
    ops_order: 'weight_bn_act',
  };
}

function mbInvertedConvLayer(cin: number, op: MBConvOp): MBInvertedConvLayerConfig {
  return {
    name: 'MBInvertedConvLayer',
    in_channels: cin,
    out_channels: op.out,
    kernel_size: op.kernel,
    stride: op.stride,
    expand_ratio: op.expand,
    ...(op.act === 'relu6' ? {} : { act_func: ACT_FUNC[op.act] }),
  };
}

function identityLayer(channels: number): IdentityLayerConfig {
  return { name: 'IdentityLayer', in_channels: channels, out_channels: channels, use_bn: false, act_func: null, dropout_rate: 0, ops_order: 'weight_bn_act' };
}
