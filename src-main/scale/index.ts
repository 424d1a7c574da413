/** Platform scales: protocol parsers, the reconnecting port, the reader and its weighings, and the simulator. */
export { ScaleReader } from './reader.ts';
export type {
  ScaleReaderDeps,
  ScaleReaderListener,
  ScaleWeight,
  WaitForStableOptions,
  WeighResult,
} from './reader.ts';
export { SCALE_DEFAULTS, scaleConfigSchema } from './config.ts';
export type { ScaleConfig, ScaleProtocol } from './config.ts';
export { scaleMessage, scaleMessages } from './codes.ts';
export type { ScaleMessageCode, ScalePortProblem, ScaleProblem, ScaleRefusalCode } from './codes.ts';
export type { ReadingKind, ReadingProblem, ScaleReading } from './reading.ts';
export type { ScalePortStatus } from './scale-port.ts';
export { parseSicsLine } from './sics.ts';
export { parseToledoFrame, ToledoFrameSplitter } from './toledo.ts';
export { DEFAULT_WEIGHT_PATTERN, parseWeightPattern, readWeightLine } from './ascii-pattern.ts';
export { parseScaleSimArgs, startScaleSim } from './sim.ts';
export type { ScaleSim, ScaleSimOptions } from './sim.ts';
