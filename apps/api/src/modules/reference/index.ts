export { createReferenceService, type ReferenceService } from './reference.service.ts';
export { referenceRoutes } from './reference.routes.ts';
