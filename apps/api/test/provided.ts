/** What the global setup hands to test files through `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgRunId: string;
    pgMode: 'embedded' | 'external';
  }
}

export {};
