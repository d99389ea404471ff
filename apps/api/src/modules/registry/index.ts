export { createRegistryService, type RegistryService } from './registry.service.ts';
export { registryRoutes } from './registry.routes.ts';
export { ENTERPRISES_REGISTERED, PEOPLE_REGISTERED } from './registry.metrics.ts';
export {
  createIdentityService,
  registryPersonalData,
  ANONYMISED_NAME,
  type IdentityService,
} from './identity.service.ts';
export { identityRoutes } from './identity.routes.ts';
export { createEnterpriseImportKind, createPersonImportKind } from './registry.import-kinds.ts';
