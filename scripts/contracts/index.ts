export { classifyChanges, type ContractChange } from './classify.ts';
export { runContractsCli, type ContractsIo } from './cli.ts';
export { consumersOf, loadUsages, type Consumers, type ServiceUsage } from './consumers.ts';
export { documentPath, generateDocuments, loadContracts, renderDocument, staleDocuments, writeDocuments, type ContractsPackage, type GeneratedDocument, type StaleDocument } from './generate.ts';
export { formatChange, formatReport, judge, runGate, type GateReport, type ServiceSides, type ServiceVerdict } from './gate.ts';
export { fileAt, GitError, resolveCommit } from './git.ts';
export { compareSchemas, type ChangeClass, type Direction, type RefResolver, type SchemaChange } from './schema-diff.ts';
export { bumpOf, bumpSatisfies, requiredBump, suggestedVersion, VersionError, type Bump, type RequiredBump } from './versions.ts';
