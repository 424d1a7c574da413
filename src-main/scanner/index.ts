/** Serial scanners: discovery, decoding, one ScannerPort per scanner, and the hub that feeds the station. */
export { ScannerHub, scannerIdOf } from './hub.ts';
export type { ScannerHubOptions, ScannerRead, ScannerState } from './hub.ts';
export { ScannerPort, backoffDelay } from './port.ts';
export type { PortState, ScannerPortConfig, ScannerPortDeps } from './port.ts';
export { discoverPorts, parseByIdName } from './discovery.ts';
export type { CandidatePort, DiscoverOptions, DiscoveryDeps, ListedPort } from './discovery.ts';
export { LineDecoder } from './decoder.ts';
export type { DecodedEvent, RejectReason } from './decoder.ts';
export { runScanSim, parseScanSimArgs } from './sim.ts';
export type { ScanSimOptions, SimTerminator } from './sim.ts';
export { identityKey, scannerVendorName, scannerVendors } from './vendors.ts';
export { describePortError, scannerMessage } from './messages.ts';
