export { recordAudit, recordAuditMany, createAuditService, type AuditInput } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { auditPersonalData } from './audit.personal-data.ts';
