export { createImportsService, type ImportsService } from './imports.service.ts';
export { importsRoutes } from './imports.routes.ts';
export {
  defineImportKind,
  type Cell,
  type ImportColumnDef,
  type ImportKind,
  type ImportMatch,
  type ImportScope,
  type ParsedRow,
  type RowProblem,
  type StagedRow,
  type WriteResult,
} from './imports.kinds.ts';
export { cellChoice, cellCode, cellDate, cellNumber, cellText } from './imports.cells.ts';
