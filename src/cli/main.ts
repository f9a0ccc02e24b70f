// The `prunas` command: a thin shell over the API. Parses and validates
// options, calls, prints. Usage errors and failures print one line and
// exit with code 2 (usage) or 1 (failure).
import { Command, CommanderError, Option } from 'commander';
import { evalCommand } from './eval.js';
import { profileCommand } from './profile.js';
import { searchCommand } from './search.js';
import { reportCommand } from './report.js';
import { exportCommand } from './export.js';
import { trainCommand } from './train.js';
import { sweepCommand } from './sweep.js';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, UsageError } from './util.js';

const program = new Command('prunas')
  .description('neural architecture search on a native engine')
  .exitOverride()
  .configureOutput({ outputError: () => {} });

program
  .command('train')
  .description('train an architecture from scratch, evaluate on the test split, checkpoint every epoch')
  .requiredOption('--arch <file>', 'architecture JSON ({ space, choices })')
  .option('--space <name|file>', 'built-in space (proxyless-small, prunet-small, proxyless-cifar, proxyless-mobile) or a space JSON file; default: the architecture\'s (or the space.json beside it, as a PruNet search writes)')
  .option('--data <dir>', 'folder with the Fashion-MNIST IDX files (default: system copy, else the shipped sample)')
  .option('--out <dir>', 'run folder for checkpoint.pb and log.jsonl', 'runs/train')
  .option('--resume', 'continue from the run folder\'s checkpoint')
  .option('--epochs <n>', 'epochs', positiveInt('--epochs'))
  .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'))
  .option('--lr <x>', 'peak learning rate', positiveNumber('--lr'))
  .option('--warmup-epochs <x>', 'linear warmup epochs', Number)
  .option('--weight-decay <x>', 'L2 weight decay', Number)
  .option('--label-smoothing <x>', 'label smoothing', Number)
  .option('--seed <n>', 'seed', Number)
  .option('--subset <n>', 'train on the first n training images only (quick runs)', positiveInt('--subset'))
  .option('--threads <n>', 'CPU threads (default: one per core)', positiveInt('--threads'))
  .option('--device <cpu|cuda:N>', 'where the network trains (default cpu)')
  .option('--precision <fp32|tf32|bf16>', 'fp32 (default); on CUDA also tf32 (tensor-core math) or bf16 (bf16 activations, float32 master weights)')
  .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'none']).default('auto'))
  .action(trainCommand);

program
  .command('search')
  .description('search an architecture; with no options, a short ProxylessNAS search of proxyless-small on Fashion-MNIST')
  .option('--strategy <name>', 'proxyless, ddpnas, danas, prunet, dna, random or darts', 'proxyless')
  .option('--space <name|file>', 'built-in space or a space JSON file', 'proxyless-small')
  .option('--data <dir>', 'folder with the Fashion-MNIST IDX files (default: system copy, else the shipped sample)')
  .option('--latency <table.pb>', 'latency table (prunas profile) for the cost model; default: multiply-adds')
  .option('--target-ms <x>', 'latency target in ms (needs --latency)', positiveNumber('--target-ms'))
  .option('--target-mflops <x>', 'target in millions of multiply-adds', positiveNumber('--target-mflops'))
  .option('--config <file>', 'strategy options (JSON); they override the preset\'s')
  .addOption(new Option('--preset <name>', 'quick: a short search (minutes on 2 cores); full: the strategy\'s own defaults').choices(['quick', 'full']).default('quick'))
  .option('--out <dir>', 'run folder (default: runs/search-STRATEGY)')
  .option('--resume', 'continue the search in the run folder')
  .option('--checkpoint-every <seconds>', 'seconds between checkpoints (0: after every unit of work)', nonNegativeNumber('--checkpoint-every'), 30)
  .option('--seed <n>', 'seed', nonNegativeInt('--seed'), 1)
  .option('--val-size <n>', 'held-out images for architecture steps (default: a tenth, at most 5000)', positiveInt('--val-size'))
  .option('--subset <n>', 'use the first n training images only (quick runs)', positiveInt('--subset'))
  .option('--threads <n>', 'CPU threads (default: one per core)', positiveInt('--threads'))
  .option('--device <cpu|cuda:N>', 'where the network trains (default cpu)')
  .option('--precision <fp32|tf32|bf16>', 'fp32 (default); on CUDA also tf32 (tensor-core math) or bf16 (bf16 activations, float32 master weights)')
  .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'none']).default('auto'))
  .action(searchCommand);

program
  .command('eval')
  .description('evaluate a checkpoint on the test split')
  .requiredOption('--checkpoint <file>', 'checkpoint.pb of a training run')
  .option('--data <dir>', 'folder with the Fashion-MNIST IDX files')
  .option('--threads <n>', 'CPU threads', positiveInt('--threads'))
  .action(evalCommand);

program
  .command('export')
  .description('write a training checkpoint as an ONNX model (NCHW, opset 13) and/or ProxylessNAS net.config JSON')
  .requiredOption('--checkpoint <file>', 'checkpoint.pb of a training run')
  .option('--arch <file>', 'architecture JSON; must match the checkpoint\'s (default: the checkpoint\'s)')
  .option('--onnx <file>', 'ONNX model to write')
  .option('--net-config <file>', 'ProxylessNAS net.config JSON to write')
  .option('--batch <n>', 'fixed batch size of the ONNX input (default: dynamic)', positiveInt('--batch'))
  .option('--no-fold-bn', 'keep BatchNormalization nodes instead of folding BN into the convolutions')
  .action(exportCommand);

program
  .command('profile')
  .description('latency table of a space on this CPU or a CUDA device (every candidate op at its layer shape, plus stem, head, classifier), its JSON view, or its validation end to end')
  .option('--space <name|file>', 'built-in space or a space JSON file to profile (with --validate: must be the table\'s)')
  .option('--out <file>', 'latency table to write (protobuf)')
  .option('--device <cpu|cuda:N>', 'where the ops run (default cpu; with --validate: the table\'s)')
  .option('--precision <fp32|tf32|bf16>', 'the engine\'s precision while timing (default fp32; tf32 and bf16 on CUDA; with --validate: the table\'s)')
  .option('--batch <n>', 'batch size (default 1)', positiveInt('--batch'))
  .option('--threads <n>', 'CPU threads to time on (default: one per core; cpu only)', positiveInt('--threads'))
  .option('--warmup <n>', 'untimed passes before each entry (default 10 on cpu, 20 on cuda)', Number)
  .option('--repeats <n>', 'timed passes per entry (default 50 on cpu, 100 on cuda)', positiveInt('--repeats'))
  .option('--seed <n>', 'seed of the weights, inputs and sampled architectures', Number)
  .option('--graph', 'CUDA: time each op as one launch of it captured as a CUDA graph (no per-kernel launch cost; validation times the same way)')
  .option('--json [table]', 'print the JSON view of the table just profiled, or of a table file')
  .option('--validate <table>', 'time sampled architectures end to end and report the share predicted within ±5% and ±10%')
  .option('--count <n>', 'architectures to validate on (default 50)', positiveInt('--count'))
  .action(profileCommand);

program
  .command('report')
  .description('write one self-contained HTML page (SVG charts) for a search or training run folder')
  .argument('<run-dir>', 'run folder holding log.jsonl (and config.json, architecture.json, checkpoint.pb when present)')
  .option('--out <file>', 'HTML file to write (default: RUN_DIR/report.html)')
  .action(reportCommand);

program
  .command('sweep')
  .description('run a grid of searches (strategies × seeds × targets), each followed by its from-scratch training, over the CPU thread groups; writes summary.md, summary.json and report.html; run again to continue after a crash')
  .argument('<sweep.json>', 'sweep config: space, strategies, seeds, targets, train recipe, devices, out folder')
  .option('--resume', 'continue the sweep in the config\'s out folder (running the same command again does the same; this fails when there is none)')
  .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'none']).default('auto'))
  .action(sweepCommand);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    process.stderr.write(`prunas: ${e.message.replace(/^error: /, '')}\n`);
    process.exit(2);
  }
  const usage = e instanceof UsageError || e instanceof TypeError || e instanceof RangeError;
  process.stderr.write(`prunas: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(usage ? 2 : 1);
}
