/**
 * KPI codes whose actual a module computes from records. A KPI absent here shows "not yet
 * measured" — never a typed-in figure. Modules add their metrics here as they land (the metric
 * contract and the dashboard come with the KPI framework).
 */
export const MEASURED_KPI_CODES: ReadonlySet<string> = new Set<string>();
